/** The period the "What students ask" page covers: the last N days, or dates the admin picks. */

export type RangeChoice = '7' | '30' | '90' | 'custom';

export interface QuestionRange {
  choice: RangeChoice;
  /** `YYYY-MM-DD` from the date inputs, used when `choice` is `custom`. */
  fromDate: string;
  toDate: string;
}

const DAY_MS = 86_400_000;

/**
 * The API's `from`/`to` for a range, or a problem to show instead of asking. Custom dates are
 * whole days in the admin's time zone, both included.
 */
export function toRangeQuery(
  range: QuestionRange,
  now: number,
): { from: string; to?: string } | { problem: string } {
  if (range.choice !== 'custom') {
    return { from: new Date(now - Number(range.choice) * DAY_MS).toISOString() };
  }
  if (!range.fromDate || !range.toDate) return { problem: 'Choose both dates.' };
  const from = new Date(`${range.fromDate}T00:00:00`);
  const to = new Date(`${range.toDate}T00:00:00`);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) {
    return { problem: 'Those dates are not valid.' };
  }
  if (from > to) return { problem: 'The first day must not be after the last day.' };
  // The last day is included: ask up to the start of the next one.
  to.setDate(to.getDate() + 1);
  return { from: from.toISOString(), to: to.toISOString() };
}
