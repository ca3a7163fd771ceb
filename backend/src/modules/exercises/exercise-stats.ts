/**
 * What a teacher sees per exercise, computed from the append-only checks. Pure, so the
 * arithmetic (median, "stuck") is unit-tested without a database.
 */
export interface AttemptFact {
  userId: string;
  username: string;
  exerciseId: string;
  outcome: 'passed' | 'failed' | 'error' | 'timeout';
  createdAt: Date;
}

/** Several failed checks, no pass, and checking within the last half hour. */
export const STUCK_MIN_FAILED_CHECKS = 3;
export const STUCK_ACTIVE_WITHIN_MS = 30 * 60 * 1000;

export interface AttemptStats {
  attempts: number;
  students: number;
  studentsPassed: number;
  passRate: number | null;
  medianAttemptsToPass: number | null;
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

interface PerStudent {
  username: string;
  checks: number;
  failed: number;
  checksToPass: number | null;
  lastAt: Date;
}

/** Attempts grouped by exercise, then student (attempts must come oldest first). */
function byExerciseAndStudent(attempts: AttemptFact[]) {
  const groups = new Map<string, Map<string, PerStudent>>();
  for (const attempt of attempts) {
    const students = groups.get(attempt.exerciseId) ?? new Map<string, PerStudent>();
    groups.set(attempt.exerciseId, students);
    const entry = students.get(attempt.userId) ?? {
      username: attempt.username,
      checks: 0,
      failed: 0,
      checksToPass: null,
      lastAt: attempt.createdAt,
    };
    entry.checks += 1;
    entry.lastAt = attempt.createdAt;
    if (attempt.outcome === 'passed') entry.checksToPass ??= entry.checks;
    else if (entry.checksToPass === null) entry.failed += 1;
    students.set(attempt.userId, entry);
  }
  return groups;
}

export function statsPerExercise(attempts: AttemptFact[]): Map<string, AttemptStats> {
  const result = new Map<string, AttemptStats>();
  for (const [exerciseId, students] of byExerciseAndStudent(attempts)) {
    const all = [...students.values()];
    const passed = all.filter((s) => s.checksToPass !== null);
    result.set(exerciseId, {
      attempts: all.reduce((sum, s) => sum + s.checks, 0),
      students: all.length,
      studentsPassed: passed.length,
      passRate: all.length > 0 ? passed.length / all.length : null,
      medianAttemptsToPass: median(passed.map((s) => s.checksToPass!)),
    });
  }
  return result;
}

export function stuckStudents(attempts: AttemptFact[], now: Date) {
  const stuck: Array<{
    userId: string;
    username: string;
    exerciseId: string;
    failedChecks: number;
    lastCheckAt: Date;
  }> = [];
  for (const [exerciseId, students] of byExerciseAndStudent(attempts)) {
    for (const [userId, s] of students) {
      if (
        s.checksToPass === null &&
        s.failed >= STUCK_MIN_FAILED_CHECKS &&
        now.getTime() - s.lastAt.getTime() <= STUCK_ACTIVE_WITHIN_MS
      ) {
        stuck.push({
          userId,
          username: s.username,
          exerciseId,
          failedChecks: s.failed,
          lastCheckAt: s.lastAt,
        });
      }
    }
  }
  return stuck.sort((a, b) => b.failedChecks - a.failedChecks);
}
