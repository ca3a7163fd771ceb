import { z } from 'zod';

/** Self-assessed (and later effective) skill, 1 = beginner … 5 = expert. */
export const skillLevelSchema = z.number().int().min(1).max(5);

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200; // bcrypt reads 72 bytes; the cap stops multi-MB "passwords".
export const USERNAME_PATTERN = /^[A-Za-z0-9_.-]+$/;

export const emailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: 'Enter a valid email address' }));

export const usernameSchema = z
  .string()
  .trim()
  .min(3, { message: 'At least 3 characters' })
  .max(32, { message: 'At most 32 characters' })
  .regex(USERNAME_PATTERN, { message: 'Letters, digits, dot, dash and underscore only' });

export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, { message: `At least ${PASSWORD_MIN_LENGTH} characters` })
  .max(PASSWORD_MAX_LENGTH, { message: `At most ${PASSWORD_MAX_LENGTH} characters` });

export const registerBodySchema = z.object({
  email: emailSchema,
  username: usernameSchema,
  password: passwordSchema,
  programmingLevel: skillLevelSchema.default(2),
  mathsLevel: skillLevelSchema.default(2),
  /** From an invitation link: registers whatever REGISTRATION_MODE says, into its group. */
  invitationToken: z.string().trim().min(20).max(200).optional(),
});
export type RegisterBody = z.input<typeof registerBodySchema>;

export const loginBodySchema = z.object({
  email: emailSchema,
  // Never apply the password policy at login: old accounts may predate it.
  password: z.string().min(1, { message: 'Enter your password' }).max(PASSWORD_MAX_LENGTH),
});
export type LoginBody = z.infer<typeof loginBodySchema>;

export const updateProfileBodySchema = z
  .object({
    username: usernameSchema.optional(),
    programmingLevel: skillLevelSchema.optional(),
    mathsLevel: skillLevelSchema.optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: 'Nothing to update' });
export type UpdateProfileBody = z.infer<typeof updateProfileBodySchema>;

export const changePasswordBodySchema = z.object({
  currentPassword: z
    .string()
    .min(1, { message: 'Enter your current password' })
    .max(PASSWORD_MAX_LENGTH),
  newPassword: passwordSchema,
});
export type ChangePasswordBody = z.infer<typeof changePasswordBodySchema>;

export const deleteAccountBodySchema = z.object({
  password: z.string().min(1, { message: 'Enter your password' }).max(PASSWORD_MAX_LENGTH),
});
export type DeleteAccountBody = z.infer<typeof deleteAccountBodySchema>;

/** What the API shows of a user to that user. Never includes hashes or lockout counters. */
export const publicUserSchema = z.object({
  id: z.string(),
  email: z.string(),
  username: z.string(),
  isAdmin: z.boolean(),
  /** The address is shown to be the user's (an emailed link, school sign-in, or the operator). */
  emailVerified: z.boolean(),
  programmingLevel: skillLevelSchema,
  mathsLevel: skillLevelSchema,
  createdAt: z.string(),
});
export type PublicUser = z.infer<typeof publicUserSchema>;

/** Body of register, login and refresh. The refresh token itself travels only as a cookie. */
export const authSessionResponseSchema = z.object({
  user: publicUserSchema,
  accessToken: z.string(),
  accessTokenExpiresAt: z.string(),
});
export type AuthSessionResponse = z.infer<typeof authSessionResponseSchema>;

export const meResponseSchema = z.object({ user: publicUserSchema });
export type MeResponse = z.infer<typeof meResponseSchema>;

/**
 * The refresh endpoint refuses requests without this header: a cross-site form post cannot set
 * it, so the refresh cookie cannot be spent by another site.
 */
export const REFRESH_HEADER = 'x-hintbook-refresh';

/** A link token from an email (verification or password reset); random, URL-safe. */
const linkTokenSchema = z
  .string()
  .trim()
  .min(20, { message: 'This link is incomplete; open it from the email again' })
  .max(200);

export const verifyEmailBodySchema = z.object({ token: linkTokenSchema });
export type VerifyEmailBody = z.infer<typeof verifyEmailBodySchema>;

export const passwordResetRequestBodySchema = z.object({ email: emailSchema });
export type PasswordResetRequestBody = z.infer<typeof passwordResetRequestBodySchema>;

export const passwordResetBodySchema = z.object({
  token: linkTokenSchema,
  password: passwordSchema,
});
export type PasswordResetBody = z.infer<typeof passwordResetBodySchema>;

/** What `POST /api/auth/password-reset` answers, whether or not the address has an account. */
export const passwordResetRequestedResponseSchema = z.object({ message: z.string() });

export const verificationSentResponseSchema = z.object({ sentTo: z.string() });
export type VerificationSentResponse = z.infer<typeof verificationSentResponseSchema>;

/** What the sign-in pages need to know before anyone signs in. */
export const authOptionsResponseSchema = z.object({
  /** False: no SMTP server, so resets come from an admin and addresses are not verified by mail. */
  canSendMail: z.boolean(),
  emailVerification: z.enum(['admins', 'everyone']),
  /** School sign-in buttons: GET /api/auth/oidc/<id>/start. */
  oidcProviders: z.array(z.object({ id: z.string(), label: z.string() })),
});
export type AuthOptionsResponse = z.infer<typeof authOptionsResponseSchema>;

/**
 * School sign-in (OpenID Connect) failures come back to the sign-in page as `?sso_error=<code>`:
 * a redirect carries no JSON body, so the words live here for the SPA.
 */
export const ssoErrorMessages = {
  'sso.unknown_provider': 'That sign-in option is not set up here.',
  'sso.failed': 'School sign-in did not work. Try again, or sign in with your password.',
  'sso.no_email': 'Your school account did not share an email address with Hintbook.',
  'sso.email_unverified':
    'Your school account’s email address is not verified there, so Hintbook cannot use it.',
  'sso.domain_not_allowed': 'Accounts from this email domain cannot sign in here.',
  'sso.no_account':
    'There is no Hintbook account for this address and new accounts need an invitation. Ask your teacher.',
  'sso.account_disabled': 'This account is disabled; ask your teacher.',
} as const;
export type SsoErrorCode = keyof typeof ssoErrorMessages;
