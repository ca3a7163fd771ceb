import type { TurnReplay } from './active-turns.js';

/**
 * Reaches turns that run in another replica. A turn lives where it started (its abort handle,
 * its replay buffer); a stop or a resume may arrive on any replica's socket. Absent: one process.
 */
export interface TurnRelay {
  /** Asks every other replica to stop the user's running turn in that session. */
  stopElsewhere(request: TurnStopRequest): void;
  /** Asks the replica that runs the turn for what the client missed; null: nobody has it. */
  replayFromOwner(request: TurnReplayRequest): Promise<TurnReplay | null>;
}

export interface TurnStopRequest {
  userId: string;
  sessionId: string;
  turnId?: string | undefined;
}

export interface TurnReplayRequest {
  userId: string;
  turnId: string;
  afterSeq: number;
}
