import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { passwordResetRequestBodySchema } from '@hintbook/contracts';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { FormField } from '../../../components/FormField';
import { Page } from '../../../components/Page';
import { readText } from '../../../lib/form-data';
import { failureFromIssues } from '../../../lib/form-errors';
import { useApiForm } from '../../../hooks/useApiForm';
import { requestPasswordReset } from '../api';
import { useAuthOptions } from '../hooks/useAuthOptions';

const FIELDS = ['email'] as const;

/**
 * Asks for a reset link by email; says the same whether or not the address has an account.
 * Without a mail server it says at once who can help, instead of a form that cannot work.
 */
export function ForgotPasswordPage() {
  const [sent, setSent] = useState<string | null>(null);
  // Unknown until the options arrive (or if they cannot be read): the form, whose answer says it.
  const canSendMail = useAuthOptions()?.canSendMail;
  const { fail, fieldErrors, formError, formRef, isSubmitting, submit } = useApiForm({
    fields: FIELDS,
  });

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = passwordResetRequestBodySchema.safeParse({
      email: readText(new FormData(event.currentTarget), 'email'),
    });
    if (!parsed.success) {
      fail(failureFromIssues(parsed.error.issues, FIELDS));
      return;
    }
    await submit(async () => {
      setSent(await requestPasswordReset(parsed.data.email));
    });
  }

  return (
    <Page title="Forgot your password?" width="narrow">
      {canSendMail === false ? (
        <div className="card stack-small">
          <p>
            This Hintbook cannot send email, so it cannot mail you a link to choose a new password.
          </p>
          <p>
            Ask your teacher: they can make a password reset link for you in the admin panel
            (People, then your account).
          </p>
        </div>
      ) : sent ? (
        <div className="card stack-small">
          <Alert tone="success">{sent}</Alert>
          <p>
            <Link to="/sign-in">Back to sign in</Link>
          </p>
        </div>
      ) : (
        <form
          className="form card"
          ref={formRef}
          noValidate
          onSubmit={(event) => void handleSubmit(event)}
        >
          <p>
            Enter the email address of your account and we will send you a link to choose a new
            password.
          </p>
          {formError ? (
            <Alert tone="error" isFormError>
              {formError}
            </Alert>
          ) : null}
          <FormField
            label="Email"
            name="email"
            type="email"
            autoComplete="username"
            required
            error={fieldErrors.email}
          />
          <Button type="submit" isBusy={isSubmitting} busyLabel="Sending…">
            Send me a link
          </Button>
        </form>
      )}
      <p className="form-footer">
        Remembered it? <Link to="/sign-in">Sign in</Link>
      </p>
    </Page>
  );
}
