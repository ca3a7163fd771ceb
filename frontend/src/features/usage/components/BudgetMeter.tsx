import type { BudgetStatus } from '@hintbook/contracts';
import { formatPercent, formatUsd } from '../../../lib/format';

/** The month's spend against the budget, as a labelled meter and in words. */
export function BudgetMeter({ budget }: { budget: BudgetStatus }) {
  const fraction = Math.min(Math.max(budget.fraction, 0), 1);
  return (
    <div className="budget-meter">
      <meter
        aria-label="Monthly AI budget used"
        min={0}
        max={1}
        low={0.5}
        high={0.8}
        optimum={0}
        value={fraction}
      />
      <p>
        <strong>{formatUsd(budget.spentUsd)}</strong> of {formatUsd(budget.budgetUsd)} used (
        {formatPercent(budget.fraction)})
      </p>
    </div>
  );
}
