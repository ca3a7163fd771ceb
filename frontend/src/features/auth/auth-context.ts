import { createContext } from 'react';
import type { PublicUser } from '@hintbook/contracts';
import type { SessionEndReason } from '../../lib/api-client';

export type AuthState =
  /** Page just loaded: the silent refresh has not answered yet. */
  | { status: 'restoring' }
  /** The server could not be asked; says nothing about whether the user is signed in. */
  | { status: 'unavailable'; message: string }
  | { status: 'signed-in'; user: PublicUser }
  /** `reason` is null when there never was a session in this tab. */
  | { status: 'signed-out'; reason: SessionEndReason | null };

export interface AuthContextValue {
  state: AuthState;
  retryRestore(): void;
  /** Replaces the signed-in user after a profile change. */
  setUser(user: PublicUser): void;
}

export const AuthContext = createContext<AuthContextValue | null>(null);
