import type { ModuleAiPolicy } from '@hintbook/contracts';

/** The help levels in the words students see (`chat:meta.hintCue`). */
export const HELP_LEVELS: Record<number, string> = {
  1: 'a question to think about',
  2: 'a pointer',
  3: 'an outline',
  4: 'part of the code',
  5: 'a worked example',
};

export const HELP_LEVEL_OPTIONS = [1, 2, 3, 4, 5].map((level) => ({
  value: String(level),
  label: `${level}: ${HELP_LEVELS[level]}`,
}));

function modeWords(mode: 'on' | 'hints_only' | 'off', maxHintLevel: number): string {
  if (mode === 'on') return 'the tutor is on';
  if (mode === 'off') return 'the tutor is off';
  return `hints only, up to ${HELP_LEVELS[maxHintLevel] ?? `level ${maxHintLevel}`}`;
}

function when(local: string): string {
  return local.replace('T', ' ');
}

/**
 * A policy as the teacher is editing it, in plain words: what holds outside any window, then
 * each window with its time zone. (What applies right now comes from the server.)
 */
export function describePolicy(policy: ModuleAiPolicy): string[] {
  const lines = [`Normally ${modeWords(policy.mode, policy.maxHintLevel)}.`];
  for (const window of policy.windows) {
    const name = window.label.trim() || 'A window';
    const rule = modeWords(window.mode, window.maxHintLevel);
    lines.push(
      `${name}, ${when(window.start)} to ${when(window.end)} (${window.timeZone}): ${rule}.`,
    );
  }
  return lines;
}
