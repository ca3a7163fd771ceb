import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { PASSWORD_MIN_LENGTH, passwordSchema } from '@hintbook/contracts';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { FormField } from '../../../components/FormField';
import { Page } from '../../../components/Page';
import { readText } from '../../../lib/form-data';
import { failureFromIssues } from '../../../lib/form-errors';
import { useApiForm } from '../../../hooks/useApiForm';
import { resetPassword } from '../api';
import { takeLinkToken } from '../link-token';

const FIELDS = ['password'] as const;

/** Opened from a reset link (emailed, or handed over by an admin): choose a new password. */
export function ResetPasswordPage() {
  const navigate = useNavigate();
  const [token] = useState(() => takeLinkToken());
  const { fail, fieldErrors, formError, formRef, isSubmitting, submit } = useApiForm({
    fields: FIELDS,
  });

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = passwordSchema.safeParse(
      readText(new FormData(event.currentTarget), 'password'),
    );
    if (!parsed.success) {
      fail(
        failureFromIssues(
          parsed.error.issues.map((issue) => ({ ...issue, path: ['password'] })),
          FIELDS,
        ),
      );
      return;
    }
    const isDone = await submit(async () => {
      await resetPassword({ token: token ?? '', password: parsed.data });
    });
    if (isDone) {
      void navigate('/sign-in', {
        replace: true,
        state: {
          notice: 'Your new password is set and every other sign-in has ended. Sign in with it.',
        },
      });
    }
  }

  if (!token) {
    return (
      <Page title="Choose a new password" width="narrow">
        <div className="card stack-small">
          <Alert tone="error">
            This page needs the link from your email. Open the link again, or ask for a new one.
          </Alert>
          <p>
            <Link to="/forgot-password">Ask for a new link</Link>
          </p>
        </div>
      </Page>
    );
  }

  return (
    <Page title="Choose a new password" width="narrow">
      <form
        className="form card"
        ref={formRef}
        noValidate
        onSubmit={(event) => void handleSubmit(event)}
      >
        {formError ? (
          <Alert tone="error" isFormError>
            {formError} <Link to="/forgot-password">Ask for a new link</Link>
          </Alert>
        ) : null}
        <FormField
          label="New password"
          name="password"
          type="password"
          autoComplete="new-password"
          hint={`At least ${PASSWORD_MIN_LENGTH} characters. A few unrelated words make a strong one.`}
          required
          error={fieldErrors.password}
        />
        <Button type="submit" isBusy={isSubmitting} busyLabel="Saving…">
          Set my new password
        </Button>
      </form>
    </Page>
  );
}
