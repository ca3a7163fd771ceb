import { describe, expect, it } from 'vitest';
import { createActiveTurns } from './active-turns.js';

describe('active turns', () => {
  it('lists only the turns still running, while finished ones stay replayable', () => {
    const turns = createActiveTurns();
    const first = turns.start({ turnId: 't1', sessionId: 's1', userId: 'u1' });
    const second = turns.start({ turnId: 't2', sessionId: 's2', userId: 'u1' });
    expect(turns.running()).toEqual([first, second]);

    const done = {
      name: 'chat:done' as const,
      payload: {
        sessionId: 's1',
        turnId: 't1',
        messageId: 't1',
        status: 'complete' as const,
        content: 'hi',
        usage: { inputTokens: 1, outputTokens: 1 },
      },
    };
    turns.finish(first, done);
    expect(turns.running()).toEqual([second]);
    expect(turns.runningInSession('s1')).toBeUndefined();
    expect(turns.replay('u1', 't1', 0)).toEqual({ deltas: [], terminal: done });

    turns.finish(second, { ...done, payload: { ...done.payload, sessionId: 's2', turnId: 't2' } });
    expect(turns.running()).toEqual([]);
  });
});
