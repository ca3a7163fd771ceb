import type { MyUsageResponse } from '@hintbook/contracts';

/** From this share of an allowance on, the meter says so in words, not only in colour. */
const WARN_AT = 0.8;

interface AllowanceWindow {
  label: string;
  period: string;
  usedTokens: number;
  limitTokens: number | null;
  resetsAt: string;
}

function formatReset(iso: string): string {
  const date = new Date(iso);
  const isToday = date.toDateString() === new Date().toDateString();
  return isToday
    ? `at ${date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}`
    : `on ${date.toLocaleString(undefined, { weekday: 'long', hour: '2-digit', minute: '2-digit' })}`;
}

function AllowanceRow({ allowance }: { allowance: AllowanceWindow }) {
  const { limitTokens } = allowance;
  if (limitTokens === null || limitTokens <= 0) return null;
  const share = Math.min(1, allowance.usedTokens / limitTokens);
  const percent = Math.round(share * 100);
  const reset = formatReset(allowance.resetsAt);
  const note =
    share >= 1
      ? `Your ${allowance.period} allowance is used up. It renews ${reset}.`
      : share >= WARN_AT
        ? `You have used ${percent}% of your ${allowance.period} allowance. It renews ${reset}.`
        : null;
  return (
    <div className={note ? 'allowance-row allowance-row-warn' : 'allowance-row'}>
      <span className="allowance-label">
        {allowance.label}: {percent}% used
      </span>
      <meter
        min={0}
        max={limitTokens}
        low={limitTokens * WARN_AT}
        high={limitTokens * 0.95}
        optimum={0}
        value={Math.min(allowance.usedTokens, limitTokens)}
        aria-label={`${allowance.label}'s allowance used`}
      />
      {note ? <p className="allowance-note">{note}</p> : null}
    </div>
  );
}

/** What is left of the student's allowance, in percent: tokens mean nothing to a student. */
export function AllowanceMeter({ usage }: { usage: MyUsageResponse | null }) {
  if (!usage) return null;
  const windows: AllowanceWindow[] = [
    { label: 'Today', period: "today's", ...usage.day },
    { label: 'This week', period: "this week's", ...usage.week },
  ];
  if (windows.every((allowance) => allowance.limitTokens === null)) return null;
  return (
    <section className="allowance" aria-label="Your allowance">
      {windows.map((allowance) => (
        <AllowanceRow key={allowance.label} allowance={allowance} />
      ))}
    </section>
  );
}
