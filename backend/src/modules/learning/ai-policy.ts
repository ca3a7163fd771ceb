/**
 * A module's AI policy at a given moment: pure, so the exam-window arithmetic is unit-tested.
 * Windows are written in the wall-clock time of their own IANA zone; "now" is converted into
 * that zone and compared as `YYYY-MM-DDTHH:MM` text (start inclusive, end exclusive).
 */
import { moduleAiPolicySchema, type AiPolicyNow, type ModuleAiPolicy } from '@hintbook/contracts';

const CUE_BY_LEVEL = [
  '',
  'a question to think about',
  'a pointer',
  'an outline',
  'part of the code',
  'a worked example',
];

export const DEFAULT_AI_POLICY: ModuleAiPolicy = { mode: 'on', maxHintLevel: 3, windows: [] };

/** A stored policy, or the default when there is none or it no longer parses. */
export function readAiPolicy(stored: unknown): ModuleAiPolicy {
  if (stored == null) return DEFAULT_AI_POLICY;
  const parsed = moduleAiPolicySchema.safeParse(stored);
  return parsed.success ? parsed.data : DEFAULT_AI_POLICY;
}

/** `now` as wall-clock text in `timeZone`: `2026-06-12T09:30`. */
export function wallClock(now: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${part('year')}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}`;
}

/** The instant a wall-clock time in `timeZone` happens (to the minute; DST gaps shift forward). */
function instantOf(local: string, timeZone: string): Date {
  const guess = new Date(`${local}:00Z`);
  // The zone's offset at the guess, applied twice to settle across an offset change.
  let result = guess;
  for (let i = 0; i < 2; i += 1) {
    const seen = new Date(`${wallClock(result, timeZone)}:00Z`);
    result = new Date(result.getTime() + (guess.getTime() - seen.getTime()));
  }
  return result;
}

function describe(
  mode: ModuleAiPolicy['mode'],
  maxHintLevel: number,
  label: string,
  until: string | null,
  timeZone?: string,
): string {
  const during = label ? `during ${label}` : 'right now';
  const untilText = until && timeZone ? ` until ${until.slice(11)} (${timeZone})` : '';
  if (mode === 'off') return `The tutor is off for this module ${during}${untilText}.`;
  if (mode === 'hints_only')
    return `The tutor gives hints only in this module ${during}${untilText}: at most ${CUE_BY_LEVEL[maxHintLevel]}.`;
  return 'The tutor is on for this module.';
}

/** Which rule applies at `now`: the first window that contains it, else the module's mode. */
export function policyAt(policy: ModuleAiPolicy, now: Date): AiPolicyNow {
  for (const window of policy.windows) {
    const local = wallClock(now, window.timeZone);
    if (local >= window.start && local < window.end) {
      return {
        mode: window.mode,
        maxHintLevel: window.mode === 'hints_only' ? window.maxHintLevel : null,
        text: describe(window.mode, window.maxHintLevel, window.label, window.end, window.timeZone),
        until: instantOf(window.end, window.timeZone).toISOString(),
      };
    }
  }
  return {
    mode: policy.mode,
    maxHintLevel: policy.mode === 'hints_only' ? policy.maxHintLevel : null,
    text: describe(policy.mode, policy.maxHintLevel, '', null),
    until: null,
  };
}

/** Of several policies (a turn may touch more than one module), the strictest. */
export function strictest(policies: AiPolicyNow[]): AiPolicyNow | null {
  const rank = (p: AiPolicyNow) => (p.mode === 'off' ? 0 : p.mode === 'hints_only' ? 1 : 2);
  return (
    [...policies].sort(
      (a, b) => rank(a) - rank(b) || (a.maxHintLevel ?? 5) - (b.maxHintLevel ?? 5),
    )[0] ?? null
  );
}
