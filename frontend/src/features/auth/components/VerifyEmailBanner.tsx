import { useState } from 'react';
import type { PublicUser } from '@hintbook/contracts';
import { Button } from '../../../components/Button';
import { messageOf } from '../../../lib/form-errors';
import { sendVerificationEmail } from '../api';
import { useAuthOptions } from '../hooks/useAuthOptions';

type Sending =
  | { status: 'idle' }
  | { status: 'busy' }
  | { status: 'sent'; to: string }
  | { status: 'failed'; message: string };

/**
 * Asks a signed-in person with an unconfirmed address to open the link we mailed, with a way to
 * get a new one. Shown only where mail can be sent: without SMTP there is no link to wait for.
 */
export function VerifyEmailBanner({ user }: { user: PublicUser }) {
  const options = useAuthOptions(!user.emailVerified);
  const [sending, setSending] = useState<Sending>({ status: 'idle' });

  if (user.emailVerified || !options?.canSendMail) return null;

  async function handleSend() {
    setSending({ status: 'busy' });
    try {
      const { sentTo } = await sendVerificationEmail();
      setSending({ status: 'sent', to: sentTo });
    } catch (error) {
      setSending({ status: 'failed', message: messageOf(error) });
    }
  }

  const required = options.emailVerification === 'everyone';
  return (
    <div className="alert alert-info banner" role="status" aria-label="Confirm your email address">
      <p>
        {required
          ? `Confirm your email address to start: open the link we sent to ${user.email}.`
          : `Please confirm your email address: open the link we sent to ${user.email}.`}{' '}
        {sending.status === 'sent' ? `A new link is on its way to ${sending.to}.` : null}
        {sending.status === 'failed' ? sending.message : null}
      </p>
      {sending.status !== 'sent' ? (
        <Button
          variant="secondary"
          isBusy={sending.status === 'busy'}
          busyLabel="Sending…"
          onClick={() => void handleSend()}
        >
          Send a new link
        </Button>
      ) : null}
    </div>
  );
}
