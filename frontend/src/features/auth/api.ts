import {
  authOptionsResponseSchema,
  authSessionResponseSchema,
  invitationLookupResponseSchema,
  type InvitationLookupResponse,
  passwordResetRequestedResponseSchema,
  verificationSentResponseSchema,
  type AuthOptionsResponse,
  type AuthSessionResponse,
  type PasswordResetBody,
  type VerificationSentResponse,
  type LoginBody,
  type RegisterBody,
} from '@hintbook/contracts';
import { ApiError, apiClient } from '../../lib/api-client';

/** Creates the account and signs in with it (the API sets the refresh cookie). */
export async function register(body: RegisterBody): Promise<AuthSessionResponse> {
  const session = await apiClient.request('/api/auth/register', {
    method: 'POST',
    body,
    authenticated: false,
    schema: authSessionResponseSchema,
  });
  apiClient.startSession(session);
  return session;
}

export async function signIn(body: LoginBody): Promise<AuthSessionResponse> {
  const session = await apiClient.request('/api/auth/login', {
    method: 'POST',
    body,
    // A 401 here means wrong credentials, never "refresh and retry".
    authenticated: false,
    schema: authSessionResponseSchema,
  });
  apiClient.startSession(session);
  return session;
}

/** Picks the session back up from the refresh cookie after a page load. */
export function restoreSession(): Promise<AuthSessionResponse> {
  return apiClient.refreshSession();
}

/**
 * Revokes this browser's refresh cookie. If the server cannot be reached the session is kept and
 * the error thrown: claiming "signed out" while the cookie still works would mislead someone on a
 * shared computer. Any answer from the server (even 401: nothing left to revoke) ends it here.
 */
export async function signOut(): Promise<void> {
  try {
    await apiClient.requestVoid('/api/auth/logout', { method: 'POST', authenticated: false });
  } catch (error) {
    if (error instanceof ApiError && error.isTransient) throw error;
  }
  apiClient.endSession('signed-out');
}

/** Revokes every session of this account, this one included. */
export async function signOutEverywhere(): Promise<void> {
  await apiClient.requestVoid('/api/auth/logout-all', { method: 'POST' });
  apiClient.endSession('signed-out-everywhere');
}

export function getAuthOptions(signal?: AbortSignal): Promise<AuthOptionsResponse> {
  return apiClient.request('/api/auth/options', {
    authenticated: false,
    schema: authOptionsResponseSchema,
    signal,
  });
}

/** Spends the token from a verification email; works signed in or not. */
export function verifyEmail(token: string): Promise<void> {
  return apiClient.requestVoid('/api/auth/verify-email', {
    method: 'POST',
    body: { token },
    authenticated: false,
  });
}

export function sendVerificationEmail(): Promise<VerificationSentResponse> {
  return apiClient.request('/api/auth/verify-email/send', {
    method: 'POST',
    schema: verificationSentResponseSchema,
  });
}

/** The answer is the same whether or not the address has an account. */
export async function requestPasswordReset(email: string): Promise<string> {
  const { message } = await apiClient.request('/api/auth/password-reset', {
    method: 'POST',
    body: { email },
    authenticated: false,
    schema: passwordResetRequestedResponseSchema,
  });
  return message;
}

/** Sets the new password; every sign-in of the account ends, this tab's too. */
export async function resetPassword(body: PasswordResetBody): Promise<void> {
  await apiClient.requestVoid('/api/auth/password-reset/confirm', {
    method: 'POST',
    body,
    authenticated: false,
  });
  if (apiClient.hasSession()) apiClient.endSession('signed-out-everywhere');
}

/** Whom an invitation link is for, to show and fill in on the registration page. */
export function lookUpInvitation(token: string): Promise<InvitationLookupResponse> {
  return apiClient.request('/api/auth/invitation', {
    method: 'POST',
    body: { token },
    authenticated: false,
    schema: invitationLookupResponseSchema,
  });
}
