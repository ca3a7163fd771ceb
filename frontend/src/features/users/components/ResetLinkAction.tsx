import { useState } from 'react';
import type { AdminUserSummary } from '@hintbook/contracts';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { issueResetLink } from '../api';
import { messageOf } from '../../../hooks/useAdminData';
import { formatMaybeDateTime } from '../../../lib/format';

/**
 * A password reset link to hand to the person (mail not set up, or not arriving). Shown once:
 * the server keeps only a hash, and each new link replaces the last.
 */
export function ResetLinkAction({ user }: { user: AdminUserSummary }) {
  const [link, setLink] = useState<{ url: string; expiresAt: string } | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function handleIssue() {
    setIsBusy(true);
    setError(null);
    try {
      setLink(await issueResetLink(user.id));
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setIsBusy(false);
    }
  }

  return (
    <div className="stack-small">
      {error ? <Alert tone="error">{error}</Alert> : null}
      {link ? (
        <div className="stack-small">
          <label htmlFor="reset-link">
            Give {user.username} this link; it works once, until{' '}
            {formatMaybeDateTime(link.expiresAt)}:
          </label>
          <input
            id="reset-link"
            className="input"
            readOnly
            value={link.url}
            onFocus={(event) => event.currentTarget.select()}
          />
        </div>
      ) : null}
      <div>
        <Button
          variant="secondary"
          isBusy={isBusy}
          busyLabel="Creating…"
          onClick={() => void handleIssue()}
        >
          {link ? 'Create another link' : 'Create a password reset link'}
        </Button>
      </div>
    </div>
  );
}
