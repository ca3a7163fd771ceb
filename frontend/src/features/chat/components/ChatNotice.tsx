import type { MyUsageResponse, RealtimeError } from '@hintbook/contracts';
import { errorCodes } from '@hintbook/contracts';
import { Alert } from '../../../components/Alert';
import { TutorUnavailableBanner } from './TutorUnavailableBanner';

interface ChatNoticeProps {
  notice: RealtimeError | null;
  usage: MyUsageResponse | null | undefined;
  onDismiss: () => void;
}

/** Whether the tutor can take questions at all, from the last error and the allowance. */
export function tutorAvailability(
  notice: RealtimeError | null,
  usage: MyUsageResponse | null | undefined,
) {
  const isNotConfigured =
    notice?.code === errorCodes.tutorNotConfigured || usage?.tutorAvailable === false;
  const isPaused =
    notice?.code === errorCodes.budgetExhausted || usage?.installationPaused === true;
  return { isNotConfigured, isPaused };
}

/**
 * The one place a conversation explains why the tutor is not answering: not set up, paused
 * for the month, or the last send's error (dismissable). Shared by the chat page and the
 * workspace's tutor pane.
 */
export function ChatNotice({ notice, usage, onDismiss }: ChatNoticeProps) {
  const { isNotConfigured, isPaused } = tutorAvailability(notice, usage);
  if (isNotConfigured || isPaused) {
    return (
      <TutorUnavailableBanner
        reason={isNotConfigured ? 'not-configured' : 'paused'}
        message={notice?.message ?? null}
      />
    );
  }
  if (!notice) return null;
  return (
    <Alert tone={notice.retryable ? 'info' : 'error'}>
      {notice.message}{' '}
      <button type="button" className="button button-quiet" onClick={onDismiss}>
        Dismiss
      </button>
    </Alert>
  );
}
