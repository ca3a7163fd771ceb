import { randomUUID } from 'node:crypto';
import type { ActiveTurns, TurnReplay } from '../modules/chat/active-turns.js';
import type { TurnRelay } from '../modules/chat/turn-relay.js';
import type { HintbookServer } from './io.js';

/**
 * How long a resume waits for the replica running the turn. A replica that died never answers:
 * the resume then goes on from the database, and the orphan sweep ends that turn.
 */
const REPLAY_TIMEOUT_MS = 1_000;

/**
 * Stops and resumes across replicas with socket.io's server-side events, carried by the Redis
 * adapter. Only the replica running a turn answers; live deltas already reach every socket of
 * the user through the adapter, so only the past has to be asked for. (Not the adapter's own
 * acknowledgements: they wait for every replica, a dead one included, for 5 s.)
 */
export function createClusterTurnRelay(io: HintbookServer, activeTurns: ActiveTurns): TurnRelay {
  const waiting = new Map<string, (replay: TurnReplay) => void>();
  io.on('turn:stop', (request) => {
    activeTurns.stop(request.userId, request.sessionId, request.turnId);
  });
  io.on('turn:replay', ({ requestId, ...request }) => {
    const replay = activeTurns.replay(request.userId, request.turnId, request.afterSeq);
    if (replay) io.serverSideEmit('turn:replayed', { requestId, replay });
  });
  io.on('turn:replayed', ({ requestId, replay }) => waiting.get(requestId)?.(replay));
  return {
    stopElsewhere(request) {
      io.serverSideEmit('turn:stop', request);
    },
    replayFromOwner(request) {
      const requestId = randomUUID();
      return new Promise((resolve) => {
        const timer = setTimeout(() => settle(null), REPLAY_TIMEOUT_MS);
        function settle(replay: TurnReplay | null) {
          clearTimeout(timer);
          waiting.delete(requestId);
          resolve(replay);
        }
        waiting.set(requestId, settle);
        io.serverSideEmit('turn:replay', { ...request, requestId });
      });
    },
  };
}
