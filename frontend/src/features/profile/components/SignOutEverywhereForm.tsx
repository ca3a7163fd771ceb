import type { FormEvent } from 'react';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { useApiForm } from '../../../hooks/useApiForm';
import { signOutEverywhere } from '../../auth/api';

const NO_FIELDS = [] as const;

export function SignOutEverywhereForm() {
  const { formError, formRef, isSubmitting, submit } = useApiForm({ fields: NO_FIELDS });

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // On success the session ends and the route guard moves to the sign-in page.
    await submit(signOutEverywhere);
  }

  return (
    <form
      className="form"
      ref={formRef}
      aria-labelledby="sessions-heading"
      onSubmit={(event) => void handleSubmit(event)}
    >
      <h2 id="sessions-heading">Signed-in devices</h2>
      {formError ? (
        <Alert tone="error" isFormError>
          {formError}
        </Alert>
      ) : null}
      <p className="form-note">
        Lost a device, or signed in on a shared computer? This signs you out everywhere, including
        here.
      </p>
      <Button
        type="submit"
        variant="secondary"
        isBusy={isSubmitting}
        busyLabel="Signing out everywhere…"
      >
        Sign out everywhere
      </Button>
    </form>
  );
}
