/** What the bench's processes agree on: how a turn is named and how a chunk carries its stamp. */

/** Each question carries its turn's id, so the fake can tell which turn a request belongs to. */
export const BENCH_ID_PATTERN = /bench-id ([0-9a-f-]{36})/;

export const questionFor = (benchId: string, conversationId?: string) =>
  `Why does my loop print 0 instead of the total? (bench-id ${benchId}` +
  `${conversationId ? ` bench-conv ${conversationId}` : ''})`;

/** Which conversation a request belongs to (side-by-side runs), from any message it carries. */
export const BENCH_CONV_PATTERN = /bench-conv ([0-9a-f-]{36})/;

/**
 * The answer guard holds a line until it can tell prose from code, and a line that opens with
 * " 0~…" looks like neither: the first chunk opens with two words of prose so the line (and
 * every stamp after it) streams at once, as a real tutor's answer does.
 */
const PROSE_OPENER = 'Look here';

/** A chunk's text: " <index>~<µs>" in base 36, about as long as a real token's text. */
export function encodeStamp(index: number, nowMs: number): string {
  const stamp = ` ${index.toString(36)}~${Math.round(nowMs * 1000).toString(36)}`;
  return index === 0 ? `${PROSE_OPENER}${stamp}` : stamp;
}

export function decodeStamp(text: string): { index: number; sentAtMs: number } | null {
  const match = /^(?:Look here)? ([0-9a-z]+)~([0-9a-z]+)$/.exec(text);
  if (!match) return null;
  return { index: parseInt(match[1]!, 36), sentAtMs: parseInt(match[2]!, 36) / 1000 };
}

/** A valid answer for the classification schema (backend/src/ai/pedagogy/classification.ts). */
export const CLASSIFICATION_ANSWER = {
  isNewProblem: true,
  isElaborationRequest: false,
  showedEffort: false,
  difficulty: { programming: 2, maths: 1 },
  problemSummary: 'A loop that should sum a list prints 0.',
};

/**
 * perf_hooks' event-loop histogram records whole timer intervals, so an idle loop reads about
 * the resolution; the delay is what exceeds it.
 */
export const LOOP_RESOLUTION_MS = 5;
export const loopDelayMs = (ns: number) => Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS);
