import {
  exerciseTestsResponseSchema,
  notebookExercisesResponseSchema,
  recordAttemptResponseSchema,
  type ExerciseTestsResponse,
  type NotebookExercisesResponse,
  type RecordAttemptBody,
  type RecordAttemptResponse,
} from '@hintbook/contracts';
import { apiClient } from '../../lib/api-client';

const id = encodeURIComponent;

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
