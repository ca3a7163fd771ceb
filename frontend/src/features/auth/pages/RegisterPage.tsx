import type { FormEvent } from 'react';
import { Link, useLocation } from 'react-router';
import { errorCodes, PASSWORD_MIN_LENGTH, registerBodySchema } from '@hintbook/contracts';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { FormField } from '../../../components/FormField';
import { Page } from '../../../components/Page';
import { readText } from '../../../lib/form-data';
import { failureFromIssues } from '../../../lib/form-errors';
import { useApiForm } from '../../../hooks/useApiForm';
import { register } from '../api';
import { SkillLevelField } from '../components/SkillLevelField';
import { useInvitation } from '../hooks/useInvitation';
import { readSkillLevel } from '../skill-levels';

const FIELDS = ['email', 'username', 'password', 'programmingLevel', 'mathsLevel'] as const;

// Errors that are about one field, so they are shown beside it rather than above the form.
const CODE_FIELDS = {
  [errorCodes.emailTaken]: 'email',
  [errorCodes.emailDomainNotAllowed]: 'email',
  [errorCodes.usernameTaken]: 'username',
  [errorCodes.weakPassword]: 'password',
  [errorCodes.invitationForOtherEmail]: 'email',
} as const;

const DEFAULT_LEVEL = 2;

export function RegisterPage() {
  const location = useLocation();
  const invitation = useInvitation();
  const invited = invitation.status === 'ready' ? invitation : null;
  const { fail, fieldErrors, formError, formRef, isSubmitting, submit } = useApiForm({
    fields: FIELDS,
    codeFields: CODE_FIELDS,
  });

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    // The same schema the API validates with, so most mistakes are caught without a round trip.
    const parsed = registerBodySchema.safeParse({
      email: readText(data, 'email'),
      username: readText(data, 'username'),
      password: readText(data, 'password'),
      programmingLevel: readSkillLevel(data, 'programmingLevel'),
      mathsLevel: readSkillLevel(data, 'mathsLevel'),
      ...(invited ? { invitationToken: invited.token } : {}),
    });
    if (!parsed.success) {
      fail(failureFromIssues(parsed.error.issues, FIELDS));
      return;
    }
    await submit(async () => {
      await register(parsed.data);
    });
  }

  return (
    <Page title="Create your account" width="narrow">
      {invited ? (
        <Alert tone="info">
          {invited.invitation.name ? `Welcome, ${invited.invitation.name}! ` : 'Welcome! '}
          Your teacher invited you
          {invited.invitation.group ? ` to join ${invited.invitation.group}` : ''}. Choose a
          username and a password to create your account.
        </Alert>
      ) : null}
      {invitation.status === 'failed' ? <Alert tone="error">{invitation.message}</Alert> : null}
      {invitation.status === 'loading' ? (
        <p className="loading" role="status">
          Opening your invitation…
        </p>
      ) : null}
      <form
        className="form card"
        ref={formRef}
        noValidate
        onSubmit={(event) => void handleSubmit(event)}
      >
        {formError ? (
          <Alert tone="error" isFormError>
            {formError}
          </Alert>
        ) : null}
        <FormField
          key={invited?.invitation.email ?? 'email'}
          label="Email"
          name="email"
          type="email"
          autoComplete="username"
          required
          defaultValue={invited?.invitation.email}
          readOnly={invited !== null}
          hint={invited ? 'The address your invitation was sent to.' : undefined}
          error={fieldErrors.email}
        />
        <FormField
          label="Username"
          name="username"
          autoComplete="nickname"
          hint="3 to 32 letters, digits, dots, dashes or underscores."
          required
          error={fieldErrors.username}
        />
        <FormField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          hint={`At least ${PASSWORD_MIN_LENGTH} characters. A few unrelated words make a strong one.`}
          required
          error={fieldErrors.password}
        />
        <p className="form-note">
          The tutor uses your two levels to decide how much help to give at first. It adjusts as it
          gets to know you, and you can change them any time.
        </p>
        <SkillLevelField
          name="programmingLevel"
          legend="How much programming have you done?"
          defaultValue={DEFAULT_LEVEL}
          error={fieldErrors.programmingLevel}
        />
        <SkillLevelField
          name="mathsLevel"
          legend="How comfortable are you with maths?"
          defaultValue={DEFAULT_LEVEL}
          error={fieldErrors.mathsLevel}
        />
        <Button type="submit" isBusy={isSubmitting} busyLabel="Creating your account…">
          Create account
        </Button>
      </form>
      <p className="form-footer">
        Already have an account?{' '}
        <Link to={{ pathname: '/sign-in', search: location.search }}>Sign in</Link>
      </p>
    </Page>
  );
}
