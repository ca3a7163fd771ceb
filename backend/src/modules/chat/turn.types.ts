import type { NotebookContext, ServerToClientEvents } from '@hintbook/contracts';
import type { TurnKind, UserPedagogyState } from '../../ai/pedagogy/index.js';
import type { RedactionKind, RedactionVault } from '../../ai/privacy/redaction.js';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { ChatLimits, TurnReservation } from '../usage/quota.service.js';
import type { UserRow } from '../users/users.types.js';
import type { ActiveTurn, ActiveTurns } from './active-turns.js';
import type { AnswerLeases } from './answer-leases.js';
import type { CourseMaterial, CourseRetrieval } from './course-material.js';
import type { TurnRules } from '../exercises/turn-rules.js';
import type { MessageRow } from './messages.repository.js';
import type { SessionRow } from './sessions.repository.js';
import type { TurnRelay } from './turn-relay.js';
import type { Tutor } from './tutor.types.js';
import type { PublishedPolicies } from '../exercises/published-policies.js';
import type { SessionScopes } from './session-scopes.js';
import type { TokenUsage } from '../../ai/types.js';

/** What the turn needs to reserve, watch and settle its spending (see quota.service.ts). */
export interface TurnSpending {
  /** An upper estimate of one turn: input with full context, the longest answer, side calls. */
  estimate(): { tokens: number; costUsd: number };
  /** USD for this many tokens on the answer model now in effect. */
  costOf(usage: TokenUsage): number;
  /**
   * Resolves once every usage row already reported is stored (before a reservation goes): true,
   * or false when one could not be stored even after its retries.
   */
  flushUsage(): Promise<boolean>;
}

/** Sends socket events to every connection of one user (all their tabs). */
export interface TurnEmitter {
  toUser<E extends keyof ServerToClientEvents>(
    userId: string,
    event: E,
    ...args: Parameters<ServerToClientEvents[E]>
  ): void;
}

/** What a reconnecting client can be sent again: the deltas it missed and the turn's ending. */
export type ReplayEventName = 'chat:delta' | 'chat:done' | 'chat:error';

/** Sends one replayed event to the socket that asked to resume (not to the user's other tabs). */
export type ReplayEmitter = <E extends ReplayEventName>(
  event: E,
  ...args: Parameters<ServerToClientEvents[E]>
) => void;

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
  /** Absent (unit tests): no reservation is made beyond the rate limit. */
  spending?: TurnSpending | undefined;
  /** With several replicas: stops and resumes reach turns that run elsewhere. */
  relay?: TurnRelay | undefined;
  /** When an old heartbeat proves an answer orphaned; absent: always (no outage is tracked). */
  leases?: AnswerLeases | undefined;
  /** The process's copy of published modules' policies; absent: read on every turn. */
  policies?: PublishedPolicies | undefined;
  /** Scopes of conversations this process has seen; absent: a follow-up's reads wait for it. */
  sessionScopes?: SessionScopes | undefined;
}

/** How often a streaming answer is flushed; one missing for STALE_AFTER_MS means its process died. */
export const STREAM_HEARTBEAT_MS = 1_000;
/**
 * The lease of a streaming answer. With the orphan sweep every ORPHAN_SWEEP_MS, an answer whose
 * process died is ended within 1 + 6 + 2 = 9 s (under the 10 s promised to students).
 */
export const STALE_AFTER_MS = 6_000;
export const ORPHAN_SWEEP_MS = 2_000;

/** What a send or retry acks: the turn's ids, or the first send's when this one is a resend. */
export interface TurnStarted {
  sessionId: string;
  userMessageId: string;
  turnId: string;
  duplicate: boolean;
}

/** One turn as the runner gets it: who, where, what was asked, and what it may spend. */
export interface RunTurnInput {
  turn: ActiveTurn;
  user: UserRow;
  session: SessionRow;
  question: MessageRow;
  answer: MessageRow;
  notebookContext?: NotebookContext | undefined;
  /** A retry or an edit-and-resend is never evidence of a new attempt. */
  kind: TurnKind;
  isNewSession: boolean;
  /**
   * The reference solution for the answer guard's overlap check, when the caller knows it.
   * Otherwise the exercise at the workspace's active cell gives it (exercises/turn-rules.ts).
   */
  referenceSolution?: string | undefined;
  /** What the turn may spend (reserved at its start); settled when it ends. */
  reservation?: TurnReservation | undefined;
  /**
   * Set when the answer call starts before the question is stored and the hold taken: the rows
   * above are provisional (see provisional-turn.ts) and nothing may reach the client, nor be
   * written to the answer, until `both` says they committed.
   */
  committed?: TurnCommit | undefined;
  /** The prompt's reads, when the send started them beside its own checks (prompt-reads.ts). */
  reads?: PromptReads | undefined;
  /** The turn's redaction vault, when the send made it for those reads. */
  vault?: RedactionVault | undefined;
}

/** The store and the hold of a turn that started beside them (turn.service.ts). */
export interface TurnCommit {
  /** The send's ack: stored (or a duplicate found on a lost race), else the error to answer. */
  stored: Promise<
    | {
        ok: true;
        rows: { session: SessionRow; question: MessageRow; answer: MessageRow } | TurnStarted;
      }
    | { ok: false; error: unknown }
  >;
  /** Whether the turn may go on: both committed, the hold refused, or nothing stored. */
  both: Promise<
    | { state: 'committed'; reservation: TurnReservation }
    | { state: 'refused'; refusal: unknown }
    | { state: 'not-stored'; reservation?: TurnReservation }
  >;
  /**
   * Starts the store and the hold. The runner calls it once the answer's request is on its way,
   * or as soon as the turn ends before that; calling it again does nothing.
   */
  begin(): void;
}

/** Everything an answer's prompt is built from, read from the database and the course index. */
export interface PromptInputs {
  rules: TurnRules;
  pedagogy: UserPedagogyState;
  /** The last visible messages, whatever they hold (planning and classification). */
  recent: MessageRow[];
  /** What the answer may see after the running summary. */
  history: MessageRow[];
  /** The running summary, read with `history` so the two fit together. */
  summary: string | null;
  material: CourseMaterial;
}

/** The prompt's reads of one turn, running (prompt-reads.ts). */
export interface PromptReads {
  inputs: Promise<PromptInputs>;
  /** Stops the course search (its query may be with an embedding vendor) and drops the rest. */
  stop(): void;
}
