import { z } from 'zod';

/** One field-level problem, so forms can show the message beside the right input. */
export const errorDetailSchema = z.object({
  path: z.string(),
  message: z.string(),
});
export type ErrorDetail = z.infer<typeof errorDetailSchema>;

/** The only error shape the API ever answers with: `{ error: { code, message, details? } }`. */
export const errorResponseSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(errorDetailSchema).optional(),
  }),
});
export type ErrorResponse = z.infer<typeof errorResponseSchema>;

/**
 * Stable error codes the SPA may branch on. Messages are for people and may change;
 * codes may not.
 */
export const errorCodes = {
  validationFailed: 'validation.failed',
  malformedJson: 'request.malformed_json',
  payloadTooLarge: 'request.too_large',
  notFound: 'request.not_found',
  rateLimited: 'request.rate_limited',
  internal: 'internal',
  unauthenticated: 'auth.unauthenticated',
  tokenExpired: 'auth.token_expired',
  forbidden: 'auth.forbidden',
  invalidCredentials: 'auth.invalid_credentials',
  accountLocked: 'auth.account_locked',
  accountDisabled: 'auth.account_disabled',
  emailTaken: 'auth.email_taken',
  usernameTaken: 'auth.username_taken',
  weakPassword: 'auth.weak_password',
  registrationClosed: 'auth.registration_closed',
  emailDomainNotAllowed: 'auth.email_domain_not_allowed',
  refreshInvalid: 'auth.refresh_invalid',
  refreshReused: 'auth.refresh_reused',
  refreshHeaderMissing: 'auth.refresh_header_missing',
  wrongPassword: 'auth.wrong_password',
  linkInvalid: 'auth.link_invalid',
  mailNotConfigured: 'auth.mail_not_configured',
  alreadyVerified: 'auth.already_verified',
  emailNotVerified: 'auth.email_not_verified',
  invitationInvalid: 'roster.invitation_invalid',
  invitationForOtherEmail: 'roster.invitation_other_email',
  invitationNotFound: 'roster.invitation_not_found',
  databaseUnavailable: 'database.unavailable',
  systemMetricsOff: 'system.metrics_off',
  sessionNotFound: 'chat.session_not_found',
  messageNotFound: 'chat.message_not_found',
  turnInProgress: 'chat.turn_in_progress',
  messageTooLong: 'chat.message_too_long',
  chatRateLimited: 'chat.rate_limited',
  allowanceExhausted: 'chat.allowance_exhausted',
  budgetExhausted: 'chat.budget_exhausted',
  nothingToRetry: 'chat.nothing_to_retry',
  notLastQuestion: 'chat.not_last_question',
  tutorNotConfigured: 'ai.not_configured',
  providerUnavailable: 'ai.provider_unavailable',
  answerInterrupted: 'ai.interrupted',
  invalidPayload: 'realtime.invalid_payload',
  moduleNotFound: 'modules.not_found',
  notebookNotFound: 'notebooks.not_found',
  notebookVersionConflict: 'notebooks.version_conflict',
  notebookNotJson: 'notebooks.not_json',
  notebookNotNbformat: 'notebooks.not_nbformat',
  notebookTooLarge: 'notebooks.too_large',
  notebookLimitReached: 'notebooks.limit_reached',
  adminUserNotFound: 'admin.user_not_found',
  adminCannotChangeSelf: 'admin.cannot_change_self',
  adminTranscriptsDisabled: 'admin.transcripts_disabled',
  adminModuleSlugTaken: 'admin.module_slug_taken',
  adminNotebookSlugTaken: 'admin.notebook_slug_taken',
  adminFileNotFound: 'admin.file_not_found',
  adminFileTooLarge: 'admin.file_too_large',
  adminFilePathTaken: 'admin.file_path_taken',
  adminInvalidOrder: 'admin.invalid_order',
  adminImportInvalid: 'admin.import_invalid',
  adminProviderErrorNotFound: 'admin.provider_error_not_found',
  exerciseMarkersInvalid: 'exercises.markers_invalid',
  exerciseNotFound: 'exercises.not_found',
  chatPolicyOff: 'chat.policy_off',
  settingsInvalidChain: 'settings.invalid_chain',
  settingsProviderUnavailable: 'settings.provider_unavailable',
} as const;
export type ErrorCode = (typeof errorCodes)[keyof typeof errorCodes];
