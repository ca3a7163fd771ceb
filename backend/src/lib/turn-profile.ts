// TEMPORARY profiling (branch firsttoken): TURN_PROFILE=1 prints one JSON line per turn.
import { performance } from 'node:perf_hooks';
const enabled = process.env.TURN_PROFILE === '1';
const marks = new Map<string, Record<string, number>>();
const epoch = () => performance.timeOrigin + performance.now();
export function profMark(key: string | null | undefined, name: string) {
  if (!enabled || !key) return;
  const entry = marks.get(key) ?? {};
  entry[name] ??= epoch();
  marks.set(key, entry);
}
export function profFlush(key: string | null | undefined) {
  if (!enabled || !key) return;
  const entry = marks.get(key);
  marks.delete(key);
  if (entry) process.stderr.write(`PROFILE ${JSON.stringify({ key, ...entry })}\n`);
}
