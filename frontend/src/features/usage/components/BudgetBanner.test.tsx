import { render, screen } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { BudgetStatus } from '@hintbook/contracts';
import { budget } from '../../../test/admin-fixtures';
import { BudgetBanner } from './BudgetBanner';

function renderBanner(status: BudgetStatus) {
  const router = createMemoryRouter([{ path: '/', element: <BudgetBanner budget={status} /> }]);
  return render(<RouterProvider router={router} />);
}

describe('BudgetBanner', () => {
  it('stays hidden below 80 % of the monthly budget', () => {
    renderBanner(budget({ spentUsd: 79.99, fraction: 0.7999 }));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('warns from 80 % on, with the amounts in dollars and links to act', () => {
    renderBanner(budget({ spentUsd: 80, fraction: 0.8, isWarning: true }));
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('80% of the monthly AI budget is used.');
    expect(alert.textContent).toContain('$80.00 of $100.00 this month.');
    expect(
      screen.getByRole('link', { name: 'Change the monthly budget' }).getAttribute('href'),
    ).toBe('/admin/settings');
  });

  it('warns at 80 % even if the server did not flag it yet', () => {
    renderBanner(budget({ spentUsd: 85, fraction: 0.85, isWarning: false }));
    expect(screen.getByRole('alert').textContent).toContain('85% of the monthly AI budget');
  });

  it('says the tutor has stopped when the budget is used up', () => {
    renderBanner(budget({ spentUsd: 100, fraction: 1, isWarning: true, isExhausted: true }));
    expect(screen.getByRole('alert').textContent).toContain('The monthly AI budget is used up.');
  });
});
