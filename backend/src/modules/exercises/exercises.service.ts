import { createHash } from 'node:crypto';
import type {
  AdminExercise,
  ModuleAiPolicy,
  ModuleExercisesResponse,
  NotebookExercisesResponse,
  RecordAttemptBody,
  RecordAttemptResponse,
  StudentExercise,
  UpdateExerciseBody,
} from '@hintbook/contracts';
import type { Db } from '../../db/client.js';
import { withTransaction } from '../../db/transaction.js';
import type { Clock } from '../../lib/clock.js';
import { recordAudit, type AuditActor } from '../audit/audit.service.js';
import { adminModuleNotFound } from '../learning/learning.errors.js';
import {
  markCopyCompleted,
  requireVisibleModuleNotebook,
  saveModuleAiPolicy,
} from '../learning/modules.service.js';
import { policyAt, readAiPolicy } from '../learning/ai-policy.js';
import { exerciseNotFound } from './exercises.errors.js';
import { exerciseStatus } from './exercise-progress.js';
import { statsPerExercise, stuckStudents } from './exercise-stats.js';
import {
  findExercisesOfModule,
  findExercisesOfNotebooks,
  findGuardTripsPerNotebook,
  findHighestHelpPerNotebook,
  findModuleAttempts,
  findModulePolicy,
  findVisibleExercise,
  insertAttempt,
  listAttemptsForUser,
  summariseAttempts,
  updateExerciseSettings,
  type ExerciseRow,
} from './exercises.repository.js';

export interface ExerciseDeps {
  db: Db;
  clock: Clock;
  /** How long a check may run in the student's kernel before it is stopped. */
  checkTimeLimitMs: number;
  /** Metrics: told of each recorded check's outcome. */
  onCheckRecorded?: (outcome: RecordAttemptBody['outcome']) => void;
}

export interface Viewer {
  id: string;
  isAdmin: boolean;
}

/** sha256 of the code with line endings and trailing spaces normalised: an edit, not a save. */
export function hashCode(code: string): string {
  const normalised = code
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim();
  return createHash('sha256').update(normalised).digest('hex');
}

function toStudentExercise(
  row: ExerciseRow,
  summary: { checks: number; passed: boolean } | undefined,
): StudentExercise {
  return {
    id: row.id,
    cellId: row.cellId,
    position: row.position,
    prompt: row.prompt,
    status: exerciseStatus(summary),
    checks: summary?.checks ?? 0,
    hasHiddenTests: Boolean(row.hiddenTests),
  };
}

/** A notebook's exercises for the student: prompt, status, checks, and the module's AI policy. */
export async function listNotebookExercises(
  deps: ExerciseDeps,
  viewer: Viewer,
  moduleId: string,
  notebookId: string,
): Promise<NotebookExercisesResponse> {
  const moduleNotebookId = await requireVisibleModuleNotebook(
    deps.db,
    viewer,
    moduleId,
    notebookId,
  );
  const rows = await findExercisesOfNotebooks(deps.db, [moduleNotebookId]);
  const summaries = new Map(
    (
      await summariseAttempts(
        deps.db,
        viewer.id,
        rows.map((row) => row.id),
      )
    ).map((s) => [s.exerciseId, s]),
  );
  const policy = await findModulePolicy(deps.db, moduleId);
  return {
    exercises: rows.map((row) => toStudentExercise(row, summaries.get(row.id))),
    policy: policyAt(readAiPolicy(policy?.aiPolicy), deps.clock()),
  };
}

/**
 * The tests to run for a check, hidden ones included: fetched only when checking and never
 * written into the notebook. The reference solution is not part of the answer.
 */
export async function getExerciseTests(deps: ExerciseDeps, viewer: Viewer, exerciseId: string) {
  const row = await findVisibleExercise(deps.db, exerciseId, viewer);
  if (!row) throw exerciseNotFound();
  return {
    exerciseId: row.id,
    visibleTests: row.visibleTests,
    hiddenTests: row.hiddenTests ?? '',
    timeLimitMs: deps.checkTimeLimitMs,
  };
}

/**
 * Records one check (append-only). A pass that completes every exercise of the notebook marks
 * the student's copy completed: progress follows the checks, not a button.
 */
export async function recordAttempt(
  deps: ExerciseDeps,
  viewer: Viewer,
  exerciseId: string,
  body: RecordAttemptBody,
): Promise<RecordAttemptResponse> {
  const row = await findVisibleExercise(deps.db, exerciseId, viewer);
  if (!row) throw exerciseNotFound();
  const now = deps.clock();
  const attemptId = await insertAttempt(deps.db, {
    userId: viewer.id,
    exerciseId,
    codeHash: hashCode(body.code),
    outcome: body.outcome,
    failingTest: body.outcome === 'passed' ? null : body.failingTest,
    message: body.outcome === 'passed' ? null : body.message,
    durationMs: body.durationMs,
    createdAt: now,
  });
  deps.onCheckRecorded?.(body.outcome);
  const siblings = await findExercisesOfNotebooks(deps.db, [row.moduleNotebookId]);
  const summaries = new Map(
    (
      await summariseAttempts(
        deps.db,
        viewer.id,
        siblings.map((s) => s.id),
      )
    ).map((s) => [s.exerciseId, s]),
  );
  const notebookCompleted = siblings.every((s) => summaries.get(s.id)?.passed);
  if (body.outcome === 'passed' && notebookCompleted) {
    await markCopyCompleted(deps.db, viewer.id, row.moduleNotebookId, now);
  }
  return {
    attemptId,
    exercise: toStudentExercise(row, summaries.get(row.id)),
    notebookCompleted,
  };
}

// ---- admins ----

const toAdminExercise = (row: ExerciseRow): AdminExercise => ({
  id: row.id,
  notebookId: row.moduleNotebookId,
  gradeId: row.gradeId,
  cellId: row.cellId,
  position: row.position,
  prompt: row.prompt,
  starterCode: row.starterCode,
  referenceSolution: row.referenceSolution,
  visibleTests: row.visibleTests,
  hiddenTests: row.hiddenTests,
  attemptsBeforeCodeHelp: row.attemptsBeforeCodeHelp,
  maxHintLevel: row.maxHintLevel,
});

/** A module's exercises with what the class did with them, who is stuck, and the AI policy. */
export async function getModuleExercises(
  deps: Pick<ExerciseDeps, 'db' | 'clock'>,
  moduleId: string,
): Promise<ModuleExercisesResponse> {
  const policyRow = await findModulePolicy(deps.db, moduleId);
  if (!policyRow) throw adminModuleNotFound();
  const [rows, attempts, help, trips] = await Promise.all([
    findExercisesOfModule(deps.db, moduleId),
    findModuleAttempts(deps.db, moduleId),
    findHighestHelpPerNotebook(deps.db, moduleId),
    findGuardTripsPerNotebook(deps.db, moduleId),
  ]);
  const now = deps.clock();
  const stats = statsPerExercise(attempts);
  const helpBy = new Map(help.map((h) => [h.moduleNotebookId, h.highestHelpLevel]));
  const tripsBy = new Map(trips.map((t) => [t.moduleNotebookId, t.guardTrips]));
  const gradeIds = new Map(rows.map((row) => [row.id, row.gradeId]));
  const policy = readAiPolicy(policyRow.aiPolicy);
  return {
    exercises: rows.map(toAdminExercise),
    stats: rows.map((row) => {
      const s = stats.get(row.id);
      return {
        exerciseId: row.id,
        notebookId: row.moduleNotebookId,
        gradeId: row.gradeId,
        attempts: s?.attempts ?? 0,
        students: s?.students ?? 0,
        studentsPassed: s?.studentsPassed ?? 0,
        passRate: s?.passRate ?? null,
        medianAttemptsToPass: s?.medianAttemptsToPass ?? null,
        // Conversations are about a notebook, not a cell: help and trips are per notebook.
        highestHelpLevel: helpBy.get(row.moduleNotebookId) ?? null,
        guardTrips: tripsBy.get(row.moduleNotebookId) ?? 0,
      };
    }),
    stuck: stuckStudents(attempts, now).map((s) => ({
      ...s,
      gradeId: gradeIds.get(s.exerciseId) ?? '',
      lastCheckAt: s.lastCheckAt.toISOString(),
    })),
    policy,
    policyNow: policyAt(policy, now),
  };
}

export async function updateExercise(
  deps: Pick<ExerciseDeps, 'db' | 'clock'>,
  actor: AuditActor,
  moduleId: string,
  exerciseId: string,
  patch: UpdateExerciseBody,
): Promise<AdminExercise> {
  const now = deps.clock();
  return withTransaction(deps.db, async (tx) => {
    const row = await updateExerciseSettings(tx, moduleId, exerciseId, patch, now);
    if (!row) throw exerciseNotFound();
    await recordAudit(
      tx,
      actor,
      {
        action: 'exercise.update',
        targetType: 'exercise',
        targetId: exerciseId,
        details: { moduleId, ...patch },
      },
      now,
    );
    return toAdminExercise(row);
  });
}

/** Replaces a module's AI policy; the change and the whole new policy go to the audit log. */
export async function setModuleAiPolicy(
  deps: Pick<ExerciseDeps, 'db' | 'clock'>,
  actor: AuditActor,
  moduleId: string,
  policy: ModuleAiPolicy,
) {
  const now = deps.clock();
  await withTransaction(deps.db, async (tx) => {
    const before = await findModulePolicy(tx, moduleId);
    if (!before || !(await saveModuleAiPolicy(tx, moduleId, policy, now)))
      throw adminModuleNotFound();
    await recordAudit(
      tx,
      actor,
      {
        action: 'module.ai_policy',
        targetType: 'module',
        targetId: moduleId,
        details: { before: readAiPolicy(before.aiPolicy), after: policy },
      },
      now,
    );
  });
  return { policy, policyNow: policyAt(policy, now) };
}

/** The exercises section of a student's data export: every check they ran (code as a hash). */
export function exportUserData(db: Db, userId: string) {
  return listAttemptsForUser(db, userId);
}
