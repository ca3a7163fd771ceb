import type { RealtimeError } from '@hintbook/contracts';
import { isConnectionError } from '../../db/errors.js';
import { AppError } from '../../lib/app-error.js';

export const sessionNotFound = () =>
  new AppError(404, 'chat.session_not_found', 'This conversation does not exist');

// The code is kept from when user administration lived under `admin`: clients match on it.
export const transcriptsDisabled = () =>
  new AppError(
    403,
    'admin.transcripts_disabled',
    'Reading transcripts is turned off (ADMIN_CAN_READ_TRANSCRIPTS)',
  );

export const messageNotFound = () =>
  new AppError(404, 'chat.message_not_found', 'This message does not exist');

export const turnInProgress = () =>
  new AppError(
    409,
    'chat.turn_in_progress',
    'The tutor is still answering in this conversation; wait or press stop',
  );

export const messageTooLong = (max: number) =>
  new AppError(
    400,
    'chat.message_too_long',
    `Keep your message to ${max.toLocaleString('en')} characters or fewer`,
  );

export const nothingToRetry = () =>
  new AppError(
    409,
    'chat.nothing_to_retry',
    'There is no unanswered question to retry in this conversation',
  );

export const notLastQuestion = () =>
  new AppError(
    409,
    'chat.not_last_question',
    'Only the last question of a conversation can be edited',
  );

export const tutorNotConfigured = (isAdmin: boolean) =>
  new AppError(
    503,
    'ai.not_configured',
    isAdmin
      ? 'No AI provider is configured. Set LLM_PROVIDER and its API key (see .env.example) and restart.'
      : 'The tutor is not set up yet. Ask your teacher to connect an AI provider.',
  );

const RETRYABLE_CODES = new Set([
  'chat.rate_limited',
  'chat.turn_in_progress',
  'ai.provider_unavailable',
  'ai.interrupted',
  'database.unavailable',
]);

/** The socket form of an expected error; unknown errors become a generic, retryable one. */
export function toRealtimeError(error: unknown): RealtimeError {
  if (error instanceof AppError) {
    return { code: error.code, message: error.message, retryable: RETRYABLE_CODES.has(error.code) };
  }
  if (isConnectionError(error)) {
    return {
      code: 'database.unavailable',
      message:
        'Hintbook cannot reach its database right now; your message was not sent. Try again in a moment.',
      retryable: true,
    };
  }
  return {
    code: 'internal',
    message: 'Something went wrong on our side; please try again',
    retryable: true,
  };
}
