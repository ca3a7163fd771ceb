import { useEffect, useState, type FormEvent } from 'react';
import { Link, useLocation } from 'react-router';
import { loginBodySchema, ssoErrorMessages, type AuthOptionsResponse } from '@hintbook/contracts';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { FormField } from '../../../components/FormField';
import { Page } from '../../../components/Page';
import { readText } from '../../../lib/form-data';
import { failureFromIssues } from '../../../lib/form-errors';
import { useApiForm } from '../../../hooks/useApiForm';
import { getAuthOptions, signIn } from '../api';

const FIELDS = ['email', 'password'] as const;

/** A message handed over by the route guard ("you have signed out"), if any. */
function noticeFrom(state: unknown): string | null {
  if (typeof state !== 'object' || state === null || !('notice' in state)) return null;
  return typeof state.notice === 'string' ? state.notice : null;
}

/** Why a school sign-in came back here (`?sso_error=`), in words. */
function ssoErrorFrom(search: string): string | null {
  const code = new URLSearchParams(search).get('sso_error');
  if (!code) return null;
  return code in ssoErrorMessages
    ? ssoErrorMessages[code as keyof typeof ssoErrorMessages]
    : ssoErrorMessages['sso.failed'];
}

export function SignInPage() {
  const location = useLocation();
  const notice = noticeFrom(location.state);
  const ssoError = ssoErrorFrom(location.search);
  const [providers, setProviders] = useState<AuthOptionsResponse['oidcProviders']>([]);

  useEffect(() => {
    const controller = new AbortController();
    getAuthOptions(controller.signal).then(
      (options) => setProviders(options.oidcProviders),
      () => setProviders([]),
    );
    return () => controller.abort();
  }, []);
  const { fail, fieldErrors, formError, formRef, isSubmitting, submit } = useApiForm({
    fields: FIELDS,
  });

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const parsed = loginBodySchema.safeParse({
      email: readText(data, 'email'),
      password: readText(data, 'password'),
    });
    if (!parsed.success) {
      fail(failureFromIssues(parsed.error.issues, FIELDS));
      return;
    }
    // On success the session starts and <RedirectIfSignedIn> takes the user onwards.
    await submit(async () => {
      await signIn(parsed.data);
    });
  }

  return (
    <Page title="Sign in" width="narrow">
      {notice ? <Alert tone="info">{notice}</Alert> : null}
      {ssoError ? <Alert tone="error">{ssoError}</Alert> : null}
      {providers.length > 0 ? (
        <div className="card stack-small" aria-label="School sign-in" role="group">
          {providers.map((provider) => (
            // A full page navigation: the school's sign-in page takes over, then sends us back.
            <a
              key={provider.id}
              className="button button-secondary"
              href={`/api/auth/oidc/${encodeURIComponent(provider.id)}/start`}
            >
              Sign in with {provider.label}
            </a>
          ))}
          <p className="form-footer">Or with your email and password:</p>
        </div>
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
          label="Email"
          name="email"
          type="email"
          autoComplete="username"
          required
          error={fieldErrors.email}
        />
        <FormField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          error={fieldErrors.password}
        />
        <Button type="submit" isBusy={isSubmitting} busyLabel="Signing in…">
          Sign in
        </Button>
      </form>
      <p className="form-footer">
        <Link to="/forgot-password">Forgot your password?</Link>
      </p>
      <p className="form-footer">
        New to Hintbook?{' '}
        <Link to={{ pathname: '/register', search: location.search }}>Create an account</Link>
      </p>
    </Page>
  );
}
