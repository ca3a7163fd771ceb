/**
 * zod schemas for the stored pedagogy state, for whoever reads it back from the database (a JSON
 * column or a row). Stored state that no longer parses (an old shape, a manual edit) must not
 * break a turn or hand out more help, so the `read…` helpers fall back instead of throwing.
 */
import { z } from 'zod';
import {
  PROBLEM_SUMMARY_MAX_LENGTH,
  initialSessionState,
  initialUserState,
  type Dimension,
  type SessionPedagogyState,
  type UserPedagogyState,
} from './hint-levels.js';

const levelSchema = z.literal([1, 2, 3, 4, 5]);
const levelsSchema = z.strictObject({ programming: levelSchema, maths: levelSchema });
const hashSchema = z.string().max(64).nullable();

export const sessionPedagogyStateSchema = z.strictObject({
  hintLevels: levelsSchema.nullable(),
  turnsOnProblem: z.number().int().min(0),
  problemDifficulty: levelsSchema.nullable(),
  problemSummary: z.string().max(PROBLEM_SUMMARY_MAX_LENGTH),
  highestHintLevels: levelsSchema.nullable(),
  // Added with "help follows effort": state stored before it has none of these and must still
  // read as the same problem at the same level, so each has a default that claims no evidence.
  attemptsOnProblem: z.number().int().min(0).default(0),
  notebookSeen: z
    .strictObject({ cell: hashSchema, run: hashSchema, error: hashSchema })
    .nullable()
    .default(null),
  lastMessageFingerprint: z.string().max(64).nullable().default(null),
  pendingEffort: z.boolean().default(false),
  lastTurn: z
    .strictObject({ answerId: z.string(), evidence: z.enum(['none', 'words', 'concrete']) })
    .nullable()
    .default(null),
}) satisfies z.ZodType<SessionPedagogyState, unknown>;

const effectiveSchema = z.number().min(1).max(5);

export const userPedagogyStateSchema = z.strictObject({
  effectiveLevels: z.strictObject({ programming: effectiveSchema, maths: effectiveSchema }),
  problemsObserved: z.number().int().min(0),
}) satisfies z.ZodType<UserPedagogyState>;

/** Stored session state, or a fresh one (null, missing or unreadable). */
export function readSessionState(stored: unknown): SessionPedagogyState {
  const result = sessionPedagogyStateSchema.safeParse(stored);
  return result.success ? result.data : initialSessionState();
}

/** Stored user state, or a fresh one from the self-assessed levels (null, missing or unreadable). */
export function readUserState(
  stored: unknown,
  selfAssessed: Record<Dimension, number>,
): UserPedagogyState {
  const result = userPedagogyStateSchema.safeParse(stored);
  return result.success ? result.data : initialUserState(selfAssessed);
}
