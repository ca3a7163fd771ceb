import { useState, type FormEvent } from 'react';
import { changePasswordBodySchema, errorCodes, PASSWORD_MIN_LENGTH } from '@hintbook/contracts';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { FormField } from '../../../components/FormField';
import { readText } from '../../../lib/form-data';
import { failureFromIssues } from '../../../lib/form-errors';
import { useApiForm } from '../../../hooks/useApiForm';
import { changePassword } from '../api';

const FIELDS = ['currentPassword', 'newPassword', 'confirmPassword'] as const;
const CODE_FIELDS = {
  [errorCodes.wrongPassword]: 'currentPassword',
  [errorCodes.weakPassword]: 'newPassword',
} as const;

export function ChangePasswordForm() {
  const { fail, fieldErrors, formError, formRef, isSubmitting, submit } = useApiForm({
    fields: FIELDS,
    codeFields: CODE_FIELDS,
  });
  const [status, setStatus] = useState<string | null>(null);

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setStatus(null);
    const formElement = event.currentTarget;
    const data = new FormData(formElement);
    const parsed = changePasswordBodySchema.safeParse({
      currentPassword: readText(data, 'currentPassword'),
      newPassword: readText(data, 'newPassword'),
    });
    const failure = parsed.success
      ? { fieldErrors: {}, formError: null }
      : failureFromIssues(parsed.error.issues, FIELDS);
    // Only the browser can catch a typo in a password the user cannot see.
    if (readText(data, 'confirmPassword') !== readText(data, 'newPassword')) {
      failure.fieldErrors = {
        ...failure.fieldErrors,
        confirmPassword: 'The two new passwords differ',
      };
    }
    if (!parsed.success || failure.fieldErrors.confirmPassword) {
      fail(failure);
      return;
    }
    const isChanged = await submit(() => changePassword(parsed.data));
    if (isChanged) {
      formElement.reset();
      setStatus(
        'Your password is changed. Any other devices you were signed in on are now signed out.',
      );
    }
  }

  return (
    <form
      className="form"
      ref={formRef}
      noValidate
      aria-labelledby="change-password-heading"
      onSubmit={(event) => void handleSubmit(event)}
    >
      <h2 id="change-password-heading">Change password</h2>
      {formError ? (
        <Alert tone="error" isFormError>
          {formError}
        </Alert>
      ) : null}
      {status ? <Alert tone="success">{status}</Alert> : null}
      <FormField
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        required
        error={fieldErrors.currentPassword}
      />
      <FormField
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        hint={`At least ${PASSWORD_MIN_LENGTH} characters.`}
        required
        error={fieldErrors.newPassword}
      />
      <FormField
        label="New password again"
        name="confirmPassword"
        type="password"
        autoComplete="new-password"
        required
        error={fieldErrors.confirmPassword}
      />
      <Button type="submit" isBusy={isSubmitting} busyLabel="Changing…">
        Change password
      </Button>
    </form>
  );
}
