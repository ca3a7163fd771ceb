import type { ServerToClientEvents } from '@hintbook/contracts';
import type { RedactionKind } from '../../ai/privacy/redaction.js';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { ChatLimits } from '../usage/quota.service.js';
import type { ActiveTurns } from './active-turns.js';
import type { CourseRetrieval } from './course-material.js';
import type { Tutor } from './tutor.types.js';

/** Sends socket events to every connection of one user (all their tabs). */
export interface TurnEmitter {
  toUser<E extends keyof ServerToClientEvents>(
    userId: string,
    event: E,
    ...args: Parameters<ServerToClientEvents[E]>
  ): void;
}

export interface TurnDeps {
  db: Db;
  clock: Clock;
  limits: ChatLimits;
  tutor: Tutor;
  activeTurns: ActiveTurns;
  emitter: TurnEmitter;
  logger: Logger;
  /** What is replaced by placeholders before text leaves for a provider (empty: nothing). */
  privacy: { redactionKinds: ReadonlySet<RedactionKind> };
  /** Course passages for answers; absent, module workspaces get their notebook's own text. */
  retrieval?: CourseRetrieval | undefined;
}

/** How often a streaming answer is flushed; one missing for STALE_AFTER_MS means its process died. */
export const STREAM_HEARTBEAT_MS = 1_000;
export const STALE_AFTER_MS = 10_000;
