/**
 * Exercises for admins (`/api/admin/modules/:id/exercises`, `…/ai-policy`): the class's results,
 * limits and the AI policy. Apart from api.ts, which the workspace loads: a module shared by the
 * workspace and the admin panel becomes a chunk of its own, and that split the app's first
 * chunk in two (see zod-config.ts for why that matters).
 */
import { z } from 'zod';
import {
  adminExerciseSchema,
  aiPolicyNowSchema,
  moduleAiPolicySchema,
  moduleExercisesResponseSchema,
  type AdminExercise,
  type AiPolicyNow,
  type ModuleAiPolicy,
  type ModuleExercisesResponse,
  type UpdateExerciseBody,
} from '@hintbook/contracts';
import { apiClient } from '../../lib/api-client';

const id = encodeURIComponent;
const modulePath = (moduleId: string) => `/api/admin/modules/${id(moduleId)}`;
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
  return apiClient.request(`${modulePath(moduleId)}/exercises`, {
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
    `${modulePath(moduleId)}/exercises/${id(exerciseId)}`,
    { method: 'PATCH', body, schema: updateExerciseResponseSchema },
  );
  return exercise;
}

/** Replaces the module's AI policy (audited); answers with what applies right now. */
export function setModuleAiPolicy(
  moduleId: string,
  policy: ModuleAiPolicy,
): Promise<{ policy: ModuleAiPolicy; policyNow: AiPolicyNow }> {
  return apiClient.request(`${modulePath(moduleId)}/ai-policy`, {
    method: 'PUT',
    body: policy,
    schema: setAiPolicyResponseSchema,
  });
}
