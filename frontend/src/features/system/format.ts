/** `38 ms`, `1.4 s`; a dash when the window has no observation. */
export function formatMs(ms: number | null): string {
  if (ms === null) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** An error share: `0%`, `0.4%`, `12%` (small shares keep a decimal so they do not read as 0). */
export function formatShare(fraction: number): string {
  const percent = fraction * 100;
  if (percent === 0) return '0%';
  return `${percent < 1 ? percent.toFixed(1) : Math.round(percent)}%`;
}
