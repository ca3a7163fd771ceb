import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { ConnectionStatus } from '../../../lib/socket';
import { ConnectionBadge } from './ConnectionBadge';

describe('ConnectionBadge', () => {
  it.each<[ConnectionStatus, string]>([
    ['connecting', 'Connecting…'],
    ['connected', 'Connected'],
    ['reconnecting', 'Reconnecting… your draft is safe'],
    ['offline', 'Offline: your draft is kept and sends when you are back'],
  ])('says %s in words', (status, text) => {
    render(<ConnectionBadge state={{ status, message: null }} onRetry={vi.fn()} />);
    expect(screen.getByRole('status').textContent).toBe(text);
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('explains a refusal and lets the student try again', async () => {
    const onRetry = vi.fn();
    render(
      <ConnectionBadge
        state={{ status: 'refused', message: 'Hintbook is open in too many tabs.' }}
        onRetry={onRetry}
      />,
    );
    expect(screen.getByRole('status').textContent).toBe(
      'Not connected: Hintbook is open in too many tabs.',
    );
    await userEvent.setup().click(screen.getByRole('button', { name: 'Try again' }));
    expect(onRetry).toHaveBeenCalledOnce();
  });
});
