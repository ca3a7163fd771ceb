import { Alert } from '../../../components/Alert';

interface TutorUnavailableBannerProps {
  reason: 'not-configured' | 'paused';
  /** The server's own words, when it gave some. */
  message?: string | null;
}

/** Calm, not alarming: nothing the student did is wrong, and their draft is kept. */
export function TutorUnavailableBanner({ reason, message }: TutorUnavailableBannerProps) {
  return (
    <Alert tone="info">
      <strong>
        {reason === 'paused' ? 'The tutor is paused for now.' : 'The tutor is not set up yet.'}
      </strong>{' '}
      {message ??
        (reason === 'paused'
          ? 'This installation has used its budget for the month; questions open again when it renews.'
          : 'An administrator needs to connect an AI provider before it can answer.')}{' '}
      Your draft is kept, so nothing you type is lost.
    </Alert>
  );
}
