import { describeCheck, type CheckResult } from '../check-result';

/** The outcome of one Check, in plain words, announced to screen readers. */
export function CheckResultView({ result }: { result: CheckResult }) {
  const { title, detail } = describeCheck(result);
  return (
    <div className={`check-result check-${result.outcome}`} role="status">
      <p className="check-result-title">{title}</p>
      {detail ? <p className="check-result-detail">{detail}</p> : null}
    </div>
  );
}
