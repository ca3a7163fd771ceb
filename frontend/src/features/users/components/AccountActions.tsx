import { useState } from 'react';
import type { AdminUserSummary } from '@hintbook/contracts';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { setUserDisabled } from '../api';
import { messageOf } from '../../../hooks/useAdminData';

interface AccountActionsProps {
  user: AdminUserSummary;
  onChanged(user: AdminUserSummary): void;
}

/** Disable (signs the person out everywhere) or re-enable an account, after a confirmation. */
export function AccountActions({ user, onChanged }: AccountActionsProps) {
  const [isConfirming, setIsConfirming] = useState(false);
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const isDisabled = user.disabledAt !== null;

  async function handleConfirm() {
    if (isBusy) return;
    setIsBusy(true);
    setError(null);
    try {
      onChanged(await setUserDisabled(user.id, !isDisabled));
      setIsConfirming(false);
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setIsBusy(false);
    }
  }

  return (
    <div className="stack-small">
      {error ? <Alert tone="error">{error}</Alert> : null}
      {isConfirming ? (
        <div className="confirm" role="group" aria-label="Confirm">
          <p>
            {isDisabled
              ? `Let ${user.username} sign in again?`
              : `Disable ${user.username}? They are signed out everywhere and cannot sign in until you re-enable the account. Their work is kept.`}
          </p>
          <div className="inline-controls">
            <Button
              variant={isDisabled ? 'primary' : 'danger'}
              isBusy={isBusy}
              busyLabel="Saving…"
              onClick={() => void handleConfirm()}
            >
              {isDisabled ? 'Yes, re-enable' : 'Yes, disable'}
            </Button>
            <Button variant="secondary" onClick={() => setIsConfirming(false)}>
              Cancel
            </Button>
          </div>
        </div>
      ) : (
        <div>
          <Button
            variant={isDisabled ? 'secondary' : 'danger'}
            onClick={() => setIsConfirming(true)}
          >
            {isDisabled ? 'Re-enable account' : 'Disable account'}
          </Button>
        </div>
      )}
    </div>
  );
}
