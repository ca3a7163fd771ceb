import { useState, type FormEvent } from 'react';
import type { AdminUserSummary } from '@hintbook/contracts';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { FormField } from '../../../components/FormField';
import { deleteUser } from '../api';
import { messageOf } from '../../../hooks/useAdminData';

interface DeleteUserFormProps {
  user: AdminUserSummary;
  onDeleted(): void;
}

/** Deleting a person for good: the admin types the username to confirm. */
export function DeleteUserForm({ user, onDeleted }: DeleteUserFormProps) {
  const [typed, setTyped] = useState('');
  const [isDeleting, setIsDeleting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const isConfirmed = typed.trim() === user.username;

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    if (isDeleting || !isConfirmed) return;
    setIsDeleting(true);
    setError(null);
    try {
      await deleteUser(user.id);
      onDeleted();
    } catch (caught) {
      setError(messageOf(caught));
      setIsDeleting(false);
    }
  }

  return (
    <form className="form" onSubmit={(event) => void handleSubmit(event)} noValidate>
      <h3>Delete this account</h3>
      <p>
        Deletes the account, conversations, notebooks and files of {user.username} for good. Usage
        figures stay, without the name.
      </p>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <FormField
        label={`Type ${user.username} to confirm`}
        autoComplete="off"
        value={typed}
        onChange={(event) => setTyped(event.target.value)}
      />
      <div>
        <Button
          type="submit"
          variant="danger"
          disabled={!isConfirmed}
          isBusy={isDeleting}
          busyLabel="Deleting…"
        >
          Delete account
        </Button>
      </div>
    </form>
  );
}
