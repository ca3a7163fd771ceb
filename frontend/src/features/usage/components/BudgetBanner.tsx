import type { BudgetStatus } from '@hintbook/contracts';
import { Link } from 'react-router';
import { formatPercent, formatUsd } from '../../../lib/format';

/** 80 % of the month's budget or more: tell the admin before students are turned away. */
export function BudgetBanner({ budget }: { budget: BudgetStatus }) {
  const isWarning = budget.isWarning || budget.fraction >= 0.8;
  if (!isWarning && !budget.isExhausted) return null;
  const used = `${formatUsd(budget.spentUsd)} of ${formatUsd(budget.budgetUsd)}`;
  return (
    <div className="alert alert-error budget-banner" role="alert">
      <p>
        <strong>
          {budget.isExhausted
            ? 'The monthly AI budget is used up.'
            : `${formatPercent(budget.fraction)} of the monthly AI budget is used.`}
        </strong>{' '}
        {used} this month.{' '}
        {budget.isExhausted
          ? 'The tutor is not answering students until the month ends or the budget is raised.'
          : 'When it runs out the tutor stops answering students until next month.'}
      </p>
      <p>
        <Link to="/admin/settings">Change the monthly budget</Link> ·{' '}
        <Link to="/admin/usage">See where it went</Link>
      </p>
    </div>
  );
}
