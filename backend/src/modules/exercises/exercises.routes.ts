import { Router, type Request } from 'express';
import {
  moduleAiPolicyBodySchema,
  recordAttemptBodySchema,
  updateExerciseBodySchema,
  type ExerciseTestsResponse,
  type NotebookExercisesResponse,
  type RecordAttemptResponse,
} from '@hintbook/contracts';
import { requireAuth } from '../../middleware/authenticate.js';
import { parseIdParam, withBody } from '../../middleware/validate.js';
import { adminModuleNotFound, notebookNotFound } from '../learning/learning.errors.js';
import { exerciseNotFound } from './exercises.errors.js';
import {
  getExerciseTests,
  getModuleExercises,
  listNotebookExercises,
  recordAttempt,
  setModuleAiPolicy,
  updateExercise,
  type ExerciseDeps,
} from './exercises.service.js';

const viewerOf = (req: Request) => {
  const { user } = requireAuth(req);
  return { id: user.id, isAdmin: user.isAdmin };
};
const exerciseId = (req: Request) => parseIdParam(req.params.exerciseId, exerciseNotFound);

/** `/api/exercises` (signed in): the tests for a check, and recording its result. */
export function exercisesRoutes(deps: ExerciseDeps): Router {
  const router = Router();
  router.get('/:exerciseId/tests', async (req, res) => {
    const tests = await getExerciseTests(deps, viewerOf(req), exerciseId(req));
    res.set('Cache-Control', 'no-store').json(tests satisfies ExerciseTestsResponse);
  });
  router.post(
    '/:exerciseId/attempts',
    withBody(recordAttemptBodySchema, async (body, req, res) => {
      const result = await recordAttempt(deps, viewerOf(req), exerciseId(req), body);
      res.status(201).json(result satisfies RecordAttemptResponse);
    }),
  );
  return router;
}

/** `/api/modules/:moduleId/notebooks/:notebookId/exercises` (signed in). */
export function notebookExercisesRoutes(deps: ExerciseDeps): Router {
  const router = Router();
  router.get('/:moduleId/notebooks/:notebookId/exercises', async (req, res) => {
    const result = await listNotebookExercises(
      deps,
      viewerOf(req),
      parseIdParam(req.params.moduleId, notebookNotFound),
      parseIdParam(req.params.notebookId, notebookNotFound),
    );
    res.json(result satisfies NotebookExercisesResponse);
  });
  return router;
}

/** Under `/api/admin/modules`: exercises with the class's results, and the AI policy. */
export function adminExercisesRoutes(deps: Pick<ExerciseDeps, 'db' | 'clock'>): Router {
  const router = Router();
  const moduleId = (req: Request) => parseIdParam(req.params.moduleId, adminModuleNotFound);
  router.get('/:moduleId/exercises', async (req, res) => {
    res.json(await getModuleExercises(deps, moduleId(req)));
  });
  router.patch(
    '/:moduleId/exercises/:exerciseId',
    withBody(updateExerciseBodySchema, async (body, req, res) => {
      const exercise = await updateExercise(
        deps,
        requireAuth(req).user,
        moduleId(req),
        exerciseId(req),
        body,
      );
      res.json({ exercise });
    }),
  );
  router.put(
    '/:moduleId/ai-policy',
    withBody(moduleAiPolicyBodySchema, async (policy, req, res) => {
      res.json(await setModuleAiPolicy(deps, requireAuth(req).user, moduleId(req), policy));
    }),
  );
  return router;
}
