import { useState } from 'react';
import type { Invitation } from '@hintbook/contracts';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { revokeInvitation } from '../api';
import { formatDate } from '../../../lib/format';
import { messageOf } from '../../../hooks/useAdminData';
import { TableScroll } from '../../../components/TableScroll';

const STATUS: Record<Invitation['status'], string> = {
  pending: 'Waiting',
  accepted: 'Joined',
  expired: 'Expired',
  revoked: 'Withdrawn',
};

/** Invitations, newest first; a waiting one can be withdrawn (its link stops working). */
export function InvitationsTable({
  invitations,
  onChanged,
}: {
  invitations: Invitation[];
  onChanged(): void;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);

  async function handleRevoke(invitation: Invitation) {
    setBusyId(invitation.id);
    setError(null);
    try {
      await revokeInvitation(invitation.id);
      onChanged();
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setBusyId(null);
    }
  }

  if (invitations.length === 0) return <p>No invitations yet.</p>;
  return (
    <div className="stack-small">
      {error ? <Alert tone="error">{error}</Alert> : null}
      <TableScroll label="Invitations">
        <table className="admin-table">
          <caption className="visually-hidden">Invitations</caption>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Name</th>
              <th scope="col">Group</th>
              <th scope="col">Status</th>
              <th scope="col">Sent</th>
              <th scope="col">Works until</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {invitations.map((invitation) => (
              <tr key={invitation.id}>
                <td>{invitation.email}</td>
                <td>{invitation.name ?? ''}</td>
                <td>{invitation.group ?? ''}</td>
                <td>{STATUS[invitation.status]}</td>
                <td>{invitation.deliveredBy === 'email' ? 'By email' : 'As a link'}</td>
                <td>{formatDate(invitation.expiresAt)}</td>
                <td>
                  {invitation.status === 'pending' ? (
                    <Button
                      variant="quiet"
                      isBusy={busyId === invitation.id}
                      busyLabel="Withdrawing…"
                      aria-label={`Withdraw the invitation for ${invitation.email}`}
                      onClick={() => void handleRevoke(invitation)}
                    >
                      Withdraw
                    </Button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </div>
  );
}
