import type { ActiveTurns } from '../chat/active-turns.js';
import type { TurnEmitter } from '../chat/turn.types.js';
import type { AppMetrics, TurnOutcome } from './metrics.js';
import { tracingHooks } from './tracing-hooks.js';

/**
 * Turn metrics (and the end of a turn's trace) without touching the turn code: the registry of running turns says when a turn
 * starts and how it ends, and the emitter sees every delta. Both wrap the real ones in app.ts.
 */
export function instrumentTurns(
  metrics: AppMetrics,
  activeTurns: ActiveTurns,
  emitter: TurnEmitter,
): { activeTurns: ActiveTurns; emitter: TurnEmitter } {
  // turnId → when it started and whether its first delta went out; entries leave at the end.
  const running = new Map<
    string,
    { startedAt: bigint; hasFirstDelta: boolean; endSpan: ((outcome: string) => void) | undefined }
  >();
  const secondsSince = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

  return {
    activeTurns: {
      ...activeTurns,
      start(turn) {
        running.set(turn.turnId, {
          startedAt: process.hrtime.bigint(),
          hasFirstDelta: false,
          // A traced chat:send: its span now lasts until this turn's terminal event.
          endSpan: tracingHooks.holdEventSpan(),
        });
        metrics.turnStarted();
        return activeTurns.start(turn);
      },
      finish(turn, terminal) {
        const entry = running.get(turn.turnId);
        running.delete(turn.turnId);
        activeTurns.finish(turn, terminal);
        if (!entry) return;
        const { outcome, code } = outcomeOf(terminal);
        metrics.turnEnded(outcome, code, secondsSince(entry.startedAt));
        entry.endSpan?.(outcome);
      },
    },
    emitter: {
      toUser(userId, event, ...args) {
        emitter.toUser(userId, event, ...args);
        if (event !== 'chat:delta') return;
        metrics.deltaSent();
        const { turnId } = args[0] as { turnId: string };
        const entry = running.get(turnId);
        if (entry && !entry.hasFirstDelta) {
          entry.hasFirstDelta = true;
          metrics.turnFirstDelta(secondsSince(entry.startedAt));
        }
      },
    },
  };
}

function outcomeOf(terminal: Parameters<ActiveTurns['finish']>[1]): {
  outcome: TurnOutcome;
  code: string;
} {
  if (terminal.name === 'chat:done')
    return terminal.payload.status === 'complete'
      ? { outcome: 'completed', code: 'none' }
      : { outcome: 'interrupted', code: 'stopped' };
  return { outcome: 'failed', code: terminal.payload.code };
}
