import type { ChatDeltaEvent, ServerToClientEvents } from '@hintbook/contracts';

type TerminalEvent =
  | { name: 'chat:done'; payload: Parameters<ServerToClientEvents['chat:done']>[0] }
  | { name: 'chat:error'; payload: Parameters<ServerToClientEvents['chat:error']>[0] };

export interface ActiveTurn {
  turnId: string;
  sessionId: string;
  userId: string;
  abort: AbortController;
  /** Every delta sent so far, so a client that reconnects gets exactly what it missed. */
  deltas: ChatDeltaEvent[];
  content: string;
  terminal?: TerminalEvent;
}

/** How long a finished turn stays replayable for clients that reconnect just after it ended. */
const FINISHED_TTL_MS = 2 * 60_000;

/**
 * Turns running in this process. The database knows which answers are streaming; this keeps
 * what only memory can: the abort handle and the replay buffer.
 */
export function createActiveTurns() {
  const byTurn = new Map<string, ActiveTurn>();
  const bySession = new Map<string, string>();

  return {
    start(turn: Omit<ActiveTurn, 'deltas' | 'content' | 'abort'>): ActiveTurn {
      const active: ActiveTurn = { ...turn, deltas: [], content: '', abort: new AbortController() };
      byTurn.set(turn.turnId, active);
      bySession.set(turn.sessionId, turn.turnId);
      return active;
    },
    get: (turnId: string) => byTurn.get(turnId),
    /** The running (not finished) turn of a session, if any. */
    runningInSession(sessionId: string): ActiveTurn | undefined {
      const turnId = bySession.get(sessionId);
      const turn = turnId ? byTurn.get(turnId) : undefined;
      return turn && !turn.terminal ? turn : undefined;
    },
    finish(turn: ActiveTurn, terminal: TerminalEvent): void {
      turn.terminal = terminal;
      if (bySession.get(turn.sessionId) === turn.turnId) bySession.delete(turn.sessionId);
      setTimeout(() => byTurn.delete(turn.turnId), FINISHED_TTL_MS).unref();
    },
    running(): ActiveTurn[] {
      return [...byTurn.values()].filter((turn) => !turn.terminal);
    },
  };
}

export type ActiveTurns = ReturnType<typeof createActiveTurns>;
export type { TerminalEvent };
