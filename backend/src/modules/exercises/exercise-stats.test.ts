import { describe, expect, it } from 'vitest';
import { median, statsPerExercise, stuckStudents, type AttemptFact } from './exercise-stats.js';

const now = new Date('2026-03-01T12:00:00Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
const check = (
  userId: string,
  outcome: AttemptFact['outcome'],
  ago: number,
  exerciseId = 'e1',
): AttemptFact => ({
  userId,
  username: userId,
  exerciseId,
  outcome,
  createdAt: minutesAgo(ago),
});

describe('exercise statistics', () => {
  it('counts attempts, pass rate and the median number of checks up to the first pass', () => {
    const stats = statsPerExercise([
      check('ada', 'failed', 50),
      check('ada', 'passed', 40),
      check('bob', 'failed', 30),
      check('bob', 'error', 20),
      check('bob', 'passed', 10),
      check('cy', 'failed', 5),
    ]).get('e1');
    expect(stats).toEqual({
      attempts: 6,
      students: 3,
      studentsPassed: 2,
      passRate: 2 / 3,
      medianAttemptsToPass: 2.5,
    });
  });

  it('takes the median of an odd count as the middle value', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([])).toBeNull();
  });

  it('calls a student stuck after several failed checks, no pass, active in the last 30 minutes', () => {
    const attempts = [
      check('stuck', 'failed', 20),
      check('stuck', 'timeout', 10),
      check('stuck', 'failed', 5),
      check('passed', 'failed', 20),
      check('passed', 'failed', 10),
      check('passed', 'failed', 8),
      check('passed', 'passed', 5),
      check('gone', 'failed', 90),
      check('gone', 'failed', 80),
      check('gone', 'failed', 45),
      check('trying', 'failed', 5),
    ];
    expect(stuckStudents(attempts, now).map((s) => [s.userId, s.failedChecks])).toEqual([
      ['stuck', 3],
    ]);
  });
});
