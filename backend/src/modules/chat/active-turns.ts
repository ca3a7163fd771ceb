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
  // byTurn also keeps two minutes of finished turns for replay (about 2,000 at 100 streams), and
  // every send asks what runs: walking them all cost ~0.2 ms a send on the event loop.
  const live = new Set<ActiveTurn>();

  return {
    start(turn: Omit<ActiveTurn, 'deltas' | 'content' | 'abort'>): ActiveTurn {
      const active: ActiveTurn = { ...turn, deltas: [], content: '', abort: new AbortController() };
      byTurn.set(turn.turnId, active);
      bySession.set(turn.sessionId, turn.turnId);
      live.add(active);
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
      live.delete(turn);
      if (bySession.get(turn.sessionId) === turn.turnId) bySession.delete(turn.sessionId);
      setTimeout(() => byTurn.delete(turn.turnId), FINISHED_TTL_MS).unref();
    },
    running(): ActiveTurn[] {
      return [...live];
    },
    /** Aborts the user's running turn in a session (only that turn, when named); false: none here. */
    stop(userId: string, sessionId: string, turnId?: string): boolean {
      const turnIdHere = bySession.get(sessionId);
      const turn = turnIdHere ? byTurn.get(turnIdHere) : undefined;
      if (!turn || turn.terminal || turn.userId !== userId) return false;
      if (turnId && turnId !== turn.turnId) return false;
      turn.abort.abort();
      return true;
    },
    /** What a reconnecting client missed of a turn run here: deltas after `afterSeq`, the end. */
    replay(userId: string, turnId: string, afterSeq: number): TurnReplay | undefined {
      const turn = byTurn.get(turnId);
      if (!turn || turn.userId !== userId) return undefined;
      return {
        deltas: turn.deltas.filter((delta) => delta.seq > afterSeq),
        ...(turn.terminal ? { terminal: turn.terminal } : {}),
      };
    },
  };
}

export interface TurnReplay {
  deltas: ChatDeltaEvent[];
  terminal?: TerminalEvent;
}

export type ActiveTurns = ReturnType<typeof createActiveTurns>;
export type { TerminalEvent };
