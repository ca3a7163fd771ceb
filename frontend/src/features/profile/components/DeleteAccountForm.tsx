import type { FormEvent } from 'react';
import { deleteAccountBodySchema, errorCodes } from '@hintbook/contracts';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { CheckboxField } from '../../../components/CheckboxField';
import { FormField } from '../../../components/FormField';
import { readText } from '../../../lib/form-data';
import { failureFromIssues, type FieldErrors } from '../../../lib/form-errors';
import { useApiForm } from '../../../hooks/useApiForm';
import { deleteAccount } from '../api';

const FIELDS = ['password', 'confirm'] as const;
const CODE_FIELDS = { [errorCodes.wrongPassword]: 'password' } as const;

export function DeleteAccountForm() {
  const { fail, fieldErrors, formError, formRef, isSubmitting, submit } = useApiForm({
    fields: FIELDS,
    codeFields: CODE_FIELDS,
  });

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const parsed = deleteAccountBodySchema.safeParse({ password: readText(data, 'password') });
    const errors: FieldErrors<(typeof FIELDS)[number]> = parsed.success
      ? {}
      : failureFromIssues(parsed.error.issues, FIELDS).fieldErrors;
    // A deliberate second step: this cannot be undone, so a stray Enter must not do it.
    if (data.get('confirm') !== 'yes') {
      errors.confirm = 'Tick this box to confirm you want your account deleted';
    }
    if (!parsed.success || errors.confirm) {
      fail({ fieldErrors: errors, formError: null });
      return;
    }
    // On success the session ends and the route guard moves to the sign-in page.
    await submit(() => deleteAccount(parsed.data));
  }

  return (
    <form
      className="form form-danger"
      ref={formRef}
      noValidate
      aria-labelledby="delete-heading"
      onSubmit={(event) => void handleSubmit(event)}
    >
      <h2 id="delete-heading">Delete my account</h2>
      {formError ? (
        <Alert tone="error" isFormError>
          {formError}
        </Alert>
      ) : null}
      <p className="form-note">
        This deletes your account, your chats, your notebooks and your progress for good. Download
        your data first if you want to keep a copy.
      </p>
      <FormField
        label="Your password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        error={fieldErrors.password}
      />
      <CheckboxField
        name="confirm"
        value="yes"
        label="I understand that my account and everything in it will be deleted permanently."
        error={fieldErrors.confirm}
      />
      <Button type="submit" variant="danger" isBusy={isSubmitting} busyLabel="Deleting…">
        Delete my account
      </Button>
    </form>
  );
}
