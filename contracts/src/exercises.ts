import { z } from 'zod';

// ---- module AI policy ----

/** `2026-06-12T09:00`: a wall-clock time in the window's own time zone. */
const localDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'Use YYYY-MM-DDTHH:MM (local time of the time zone)');

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export const hintLevelCapSchema = z.number().int().min(1).max(5);

/** How the tutor may help in a module: on, hints only up to a level, or off. */
export const aiModeSchema = z.enum(['on', 'hints_only', 'off']);
export type AiMode = z.infer<typeof aiModeSchema>;

const aiPolicyWindowShape = {
  label: z.string().trim().max(80).default(''),
  start: localDateTime,
  end: localDateTime,
  /** An IANA name (`Europe/Berlin`): a window is never in "server time". */
  timeZone: z.string().refine(isTimeZone, 'Not a known IANA time zone'),
  mode: z.enum(['hints_only', 'off']),
  maxHintLevel: hintLevelCapSchema.default(2),
};
const endsAfterStart = (window: { start: string; end: string }) => window.start < window.end;
const endsAfterStartIssue = { message: 'The window must end after it starts', path: ['end'] };

export const aiPolicyWindowSchema = z
  .object(aiPolicyWindowShape)
  .refine(endsAfterStart, endsAfterStartIssue);

const moduleAiPolicyShape = {
  mode: aiModeSchema.default('on'),
  /** With `hints_only`: the highest help level (1 a question … 3 an outline). */
  maxHintLevel: hintLevelCapSchema.default(3),
};

/** A stored policy: read leniently, so a field a later version added is only ignored. */
export const moduleAiPolicySchema = z.object({
  ...moduleAiPolicyShape,
  windows: z.array(aiPolicyWindowSchema).max(50).default([]),
});

/**
 * `PUT /api/admin/modules/:id/ai-policy`: strict, windows included. A misspelt field would
 * otherwise fall back to its default (`maxHintLvl: 1` saved as level 3) and look saved.
 */
export const moduleAiPolicyBodySchema = z.strictObject({
  ...moduleAiPolicyShape,
  windows: z
    .array(z.strictObject(aiPolicyWindowShape).refine(endsAfterStart, endsAfterStartIssue))
    .max(50)
    .default([]),
});
export type ModuleAiPolicy = z.infer<typeof moduleAiPolicySchema>;

/** The policy that applies right now, in plain words for the student. */
export const aiPolicyNowSchema = z.object({
  mode: aiModeSchema,
  /** Null when the tutor is on without a cap. */
  maxHintLevel: hintLevelCapSchema.nullable(),
  text: z.string(),
  /** When this stops applying (end of a window), if it is a window. */
  until: z.iso.datetime().nullable(),
});
export type AiPolicyNow = z.infer<typeof aiPolicyNowSchema>;

// ---- exercises (students) ----

export const exerciseStatusSchema = z.enum(['not_tried', 'tried', 'passed']);
export type ExerciseStatus = z.infer<typeof exerciseStatusSchema>;

/** What a student may know about an exercise: never its solution or tests. */
export const studentExerciseSchema = z.object({
  id: z.uuid(),
  cellId: z.string(),
  position: z.number().int(),
  prompt: z.string(),
  status: exerciseStatusSchema,
  checks: z.number().int(),
  hasHiddenTests: z.boolean(),
});
export type StudentExercise = z.infer<typeof studentExerciseSchema>;

export const notebookExercisesResponseSchema = z.object({
  exercises: z.array(studentExerciseSchema),
  policy: aiPolicyNowSchema,
});
export type NotebookExercisesResponse = z.infer<typeof notebookExercisesResponseSchema>;

/** Only while checking: the tests to run in the student's kernel. Never the solution. */
export const exerciseTestsResponseSchema = z.object({
  exerciseId: z.uuid(),
  visibleTests: z.string(),
  hiddenTests: z.string(),
  timeLimitMs: z.number().int(),
});
export type ExerciseTestsResponse = z.infer<typeof exerciseTestsResponseSchema>;

export const checkOutcomeSchema = z.enum(['passed', 'failed', 'error', 'timeout']);
export type CheckOutcome = z.infer<typeof checkOutcomeSchema>;

export const recordAttemptBodySchema = z.object({
  /** The code that was checked; only its hash is stored. */
  code: z.string().max(200_000),
  outcome: checkOutcomeSchema,
  failingTest: z.string().max(2_000).nullable().default(null),
  message: z.string().max(4_000).nullable().default(null),
  durationMs: z.number().int().min(0).max(3_600_000),
});
export type RecordAttemptBody = z.infer<typeof recordAttemptBodySchema>;

export const recordAttemptResponseSchema = z.object({
  attemptId: z.uuid(),
  exercise: studentExerciseSchema,
  notebookCompleted: z.boolean(),
});
export type RecordAttemptResponse = z.infer<typeof recordAttemptResponseSchema>;

// ---- exercises (admins) ----

export const adminExerciseSchema = z.object({
  id: z.uuid(),
  notebookId: z.uuid(),
  gradeId: z.string(),
  cellId: z.string(),
  position: z.number().int(),
  prompt: z.string(),
  starterCode: z.string(),
  referenceSolution: z.string().nullable(),
  visibleTests: z.string(),
  hiddenTests: z.string().nullable(),
  attemptsBeforeCodeHelp: z.number().int(),
  maxHintLevel: z.number().int(),
});
export type AdminExercise = z.infer<typeof adminExerciseSchema>;

// Strict: a misspelt limit must be refused, not look saved.
export const updateExerciseBodySchema = z
  .strictObject({
    attemptsBeforeCodeHelp: z.number().int().min(0).max(20).optional(),
    maxHintLevel: hintLevelCapSchema.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'Nothing to change');
export type UpdateExerciseBody = z.infer<typeof updateExerciseBodySchema>;

export const exerciseStatsSchema = z.object({
  exerciseId: z.uuid(),
  notebookId: z.uuid(),
  gradeId: z.string(),
  attempts: z.number().int(),
  students: z.number().int(),
  studentsPassed: z.number().int(),
  /** Of the students who tried, the share who passed (0–1); null when nobody tried. */
  passRate: z.number().nullable(),
  /** Checks a student needed up to their first pass, median over those who passed. */
  medianAttemptsToPass: z.number().nullable(),
  /** Highest programming hint level given in conversations about the exercise's notebook. */
  highestHelpLevel: z.number().int().nullable(),
  guardTrips: z.number().int(),
});
export type ExerciseStats = z.infer<typeof exerciseStatsSchema>;

export const stuckStudentSchema = z.object({
  userId: z.uuid(),
  username: z.string(),
  exerciseId: z.uuid(),
  gradeId: z.string(),
  failedChecks: z.number().int(),
  lastCheckAt: z.iso.datetime(),
});
export type StuckStudent = z.infer<typeof stuckStudentSchema>;

export const moduleExercisesResponseSchema = z.object({
  exercises: z.array(adminExerciseSchema),
  stats: z.array(exerciseStatsSchema),
  stuck: z.array(stuckStudentSchema),
  policy: moduleAiPolicySchema,
  policyNow: aiPolicyNowSchema,
});
export type ModuleExercisesResponse = z.infer<typeof moduleExercisesResponseSchema>;
