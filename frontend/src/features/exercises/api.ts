import { z } from 'zod';
import {
  adminExerciseSchema,
  aiPolicyNowSchema,
  exerciseTestsResponseSchema,
  moduleAiPolicySchema,
  moduleExercisesResponseSchema,
  notebookExercisesResponseSchema,
  recordAttemptResponseSchema,
  type AdminExercise,
  type AiPolicyNow,
  type ExerciseTestsResponse,
  type ModuleAiPolicy,
  type ModuleExercisesResponse,
  type NotebookExercisesResponse,
  type RecordAttemptBody,
  type RecordAttemptResponse,
  type UpdateExerciseBody,
} from '@hintbook/contracts';
import { apiClient } from '../../lib/api-client';

/** Exercises: what students see and check, and what admins tune (`/api/admin/modules/:id/…`). */

const id = encodeURIComponent;
const adminModulePath = (moduleId: string) => `/api/admin/modules/${id(moduleId)}`;

/** A module notebook's exercises (never tests or solutions) and the module's AI policy now. */
export function listNotebookExercises(
  moduleId: string,
  notebookId: string,
  signal?: AbortSignal,
): Promise<NotebookExercisesResponse> {
  return apiClient.request(`/api/modules/${id(moduleId)}/notebooks/${id(notebookId)}/exercises`, {
    schema: notebookExercisesResponseSchema,
    signal,
  });
}

/** The tests to run for one check: fetched only while checking, never stored in the notebook. */
export function getExerciseTests(exerciseId: string): Promise<ExerciseTestsResponse> {
  return apiClient.request(`/api/exercises/${id(exerciseId)}/tests`, {
    schema: exerciseTestsResponseSchema,
  });
}

/** Records a check (append-only; the server keeps only a hash of the code). */
export function recordAttempt(
  exerciseId: string,
  body: RecordAttemptBody,
): Promise<RecordAttemptResponse> {
  return apiClient.request(`/api/exercises/${id(exerciseId)}/attempts`, {
    method: 'POST',
    body,
    schema: recordAttemptResponseSchema,
  });
}

// ------------------------------------------------------------------ admin
const updateExerciseResponseSchema = z.object({ exercise: adminExerciseSchema });
const setAiPolicyResponseSchema = z.object({
  policy: moduleAiPolicySchema,
  policyNow: aiPolicyNowSchema,
});

/** A module's exercises with the class's results, stuck students and the AI policy. */
export function getModuleExercises(
  moduleId: string,
  signal?: AbortSignal,
): Promise<ModuleExercisesResponse> {
  return apiClient.request(`${adminModulePath(moduleId)}/exercises`, {
    schema: moduleExercisesResponseSchema,
    signal,
  });
}

/** Changes an exercise's threshold for code-level help or its highest help level (audited). */
export async function updateExercise(
  moduleId: string,
  exerciseId: string,
  body: UpdateExerciseBody,
): Promise<AdminExercise> {
  const { exercise } = await apiClient.request(
    `${adminModulePath(moduleId)}/exercises/${id(exerciseId)}`,
    { method: 'PATCH', body, schema: updateExerciseResponseSchema },
  );
  return exercise;
}

/** Replaces the module's AI policy (audited); answers with what applies right now. */
export function setModuleAiPolicy(
  moduleId: string,
  policy: ModuleAiPolicy,
): Promise<{ policy: ModuleAiPolicy; policyNow: AiPolicyNow }> {
  return apiClient.request(`${adminModulePath(moduleId)}/ai-policy`, {
    method: 'PUT',
    body: policy,
    schema: setAiPolicyResponseSchema,
  });
}
