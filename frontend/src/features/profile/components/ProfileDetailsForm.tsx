import { useState, type FormEvent } from 'react';
import { errorCodes, updateProfileBodySchema, type UpdateProfileBody } from '@hintbook/contracts';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { FormField } from '../../../components/FormField';
import { readText } from '../../../lib/form-data';
import { failureFromIssues } from '../../../lib/form-errors';
import { useApiForm } from '../../../hooks/useApiForm';
import { SkillLevelField } from '../../auth/components/SkillLevelField';
import { useCurrentUser } from '../../auth/hooks/useAuth';
import { readSkillLevel } from '../../auth/skill-levels';
import { useUpdateProfile } from '../hooks/useUpdateProfile';

const FIELDS = ['username', 'programmingLevel', 'mathsLevel'] as const;
const CODE_FIELDS = { [errorCodes.usernameTaken]: 'username' } as const;

export function ProfileDetailsForm() {
  const user = useCurrentUser();
  const saveProfile = useUpdateProfile();
  const { clear, fail, fieldErrors, formError, formRef, isSubmitting, submit } = useApiForm({
    fields: FIELDS,
    codeFields: CODE_FIELDS,
  });
  const [status, setStatus] = useState<string | null>(null);

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setStatus(null);
    const data = new FormData(event.currentTarget);
    const entered = {
      username: readText(data, 'username').trim(),
      programmingLevel: readSkillLevel(data, 'programmingLevel'),
      mathsLevel: readSkillLevel(data, 'mathsLevel'),
    };
    // Send only what changed: the API refuses an empty update, and a no-op should not look saved.
    const changes: UpdateProfileBody = {};
    if (entered.username !== user.username) changes.username = entered.username;
    if (entered.programmingLevel !== user.programmingLevel) {
      changes.programmingLevel = entered.programmingLevel;
    }
    if (entered.mathsLevel !== user.mathsLevel) changes.mathsLevel = entered.mathsLevel;
    if (Object.keys(changes).length === 0) {
      clear();
      setStatus('Nothing has changed, so there was nothing to save.');
      return;
    }
    const parsed = updateProfileBodySchema.safeParse(changes);
    if (!parsed.success) {
      fail(failureFromIssues(parsed.error.issues, FIELDS));
      return;
    }
    const isSaved = await submit(() => saveProfile(parsed.data));
    if (isSaved) setStatus('Your profile is saved.');
  }

  return (
    <form
      className="form"
      ref={formRef}
      noValidate
      aria-labelledby="profile-details-heading"
      onSubmit={(event) => void handleSubmit(event)}
    >
      <h2 id="profile-details-heading">Your details</h2>
      {formError ? (
        <Alert tone="error" isFormError>
          {formError}
        </Alert>
      ) : null}
      {status ? <Alert tone="success">{status}</Alert> : null}
      <p className="form-note">
        Signed in as <strong>{user.email}</strong>.
      </p>
      <FormField
        label="Username"
        name="username"
        autoComplete="nickname"
        defaultValue={user.username}
        hint="3 to 32 letters, digits, dots, dashes or underscores."
        required
        error={fieldErrors.username}
      />
      <SkillLevelField
        name="programmingLevel"
        legend="Programming level"
        defaultValue={user.programmingLevel}
        error={fieldErrors.programmingLevel}
      />
      <SkillLevelField
        name="mathsLevel"
        legend="Maths level"
        defaultValue={user.mathsLevel}
        error={fieldErrors.mathsLevel}
      />
      <Button type="submit" isBusy={isSubmitting} busyLabel="Saving…">
        Save changes
      </Button>
    </form>
  );
}
