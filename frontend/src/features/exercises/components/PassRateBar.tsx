/** The share of students who passed, as a number and a small bar (the number is what is read out). */
export function PassRateBar({ rate }: { rate: number | null }) {
  if (rate === null) return <span>nobody tried yet</span>;
  const percent = Math.round(rate * 100);
  return (
    <span className="pass-rate">
      <span>{percent}%</span>
      <span className="pass-rate-bar" aria-hidden="true">
        <span className="pass-rate-fill" style={{ width: `${percent}%`, display: 'block' }} />
      </span>
    </span>
  );
}
