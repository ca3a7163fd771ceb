import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { Alert } from '../../../components/Alert';
import { Page } from '../../../components/Page';
import { apiClient } from '../../../lib/api-client';
import { messageOf } from '../../../lib/form-errors';
import { restoreSession, verifyEmail } from '../api';
import { useAuth } from '../hooks/useAuth';
import { takeLinkToken } from '../link-token';

type Outcome = { status: 'working' } | { status: 'done' } | { status: 'failed'; message: string };

/** Opened from the verification email: confirms the address, then says so. */
export function VerifyEmailPage() {
  const { state, setUser } = useAuth();
  const [token] = useState(() => takeLinkToken());
  const [outcome, setOutcome] = useState<Outcome>(
    token
      ? { status: 'working' }
      : { status: 'failed', message: 'This page needs the link from your email.' },
  );

  useEffect(() => {
    if (!token) return;
    let isCurrent = true;
    verifyEmail(token)
      .then(async () => {
        // A signed-in tab picks up the change (and admin rights, for a listed admin) at once.
        if (apiClient.hasSession()) setUser((await restoreSession()).user);
        if (isCurrent) setOutcome({ status: 'done' });
      })
      .catch((error: unknown) => {
        if (isCurrent) setOutcome({ status: 'failed', message: messageOf(error) });
      });
    return () => {
      isCurrent = false;
    };
  }, [token, setUser]);

  const isSignedIn = state.status === 'signed-in';
  return (
    <Page title="Confirm your email address" width="narrow">
      <div className="card stack-small">
        {outcome.status === 'working' ? <p role="status">Confirming…</p> : null}
        {outcome.status === 'done' ? (
          <Alert tone="success">Thank you: your email address is confirmed.</Alert>
        ) : null}
        {outcome.status === 'failed' ? <Alert tone="error">{outcome.message}</Alert> : null}
        <p>
          {isSignedIn ? (
            <Link to="/">Go to the home page</Link>
          ) : (
            <Link to="/sign-in">Sign in</Link>
          )}
          {outcome.status === 'failed' && isSignedIn ? (
            <> · a new link can be sent from the banner at the top of every page.</>
          ) : null}
        </p>
      </div>
    </Page>
  );
}
