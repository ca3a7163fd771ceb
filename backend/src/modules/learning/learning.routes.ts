import { Router, type Request } from 'express';
import {
  createPersonalNotebookBodySchema,
  renamePersonalNotebookBodySchema,
  saveNotebookBodySchema,
  updateCopyStatusBodySchema,
  type CopyStatusResponse,
  type ListModulesResponse,
  type ListPersonalNotebooksResponse,
  type ModuleResponse,
  type NotebookCopyResponse,
  type NotebookVersionResponse,
  type PersonalNotebookResponse,
  type SaveNotebookResponse,
} from '@hintbook/contracts';
import { moduleNotFound, notebookNotFound } from './learning.errors.js';
import { toPersonalNotebook, toPersonalNotebookSummary } from './learning.mapper.js';
import {
  getCopyVersion,
  getMyModule,
  keepCopy,
  listMyModules,
  markCopyStatus,
  openCopy,
  resetCopy,
  saveCopy,
  type LearningDeps,
  type Viewer,
} from './modules.service.js';
import { downloadFilename } from './notebook-content.js';
import {
  addNotebook,
  deleteMyNotebook,
  getMyNotebook,
  getMyNotebookVersion,
  listMyNotebooks,
  renameMyNotebook,
  saveMyNotebook,
} from './personal-notebooks.service.js';
import { requireAuth } from '../../middleware/authenticate.js';
import { parseIdParam, withBody } from '../../middleware/validate.js';

const IPYNB_TYPE = 'application/x-ipynb+json';

const viewerOf = (req: Request): Viewer => {
  const { user } = requireAuth(req);
  return { id: user.id, isAdmin: user.isAdmin };
};

/** Any malformed, missing, unpublished or foreign id is the same 404. */
const moduleId = (raw: unknown) => parseIdParam(raw, moduleNotFound);
const notebookId = (raw: unknown) => parseIdParam(raw, notebookNotFound);

/**
 * Modules and the caller's copies of their notebooks, under /api/modules (behind
 * `authenticate`). A copy is addressed by module and notebook: each student has exactly one.
 */
export function modulesRoutes(deps: LearningDeps): Router {
  const router = Router();
  const copyPath = '/:moduleId/notebooks/:notebookId/copy';
  // Under a notebook, a bad module id is just another way of naming a missing notebook.
  const ids = (req: Request) =>
    [notebookId(req.params.moduleId), notebookId(req.params.notebookId)] as const;

  router.get('/', async (req, res) => {
    const modules = await listMyModules(deps, viewerOf(req));
    res.json({ modules } satisfies ListModulesResponse);
  });

  router.get('/:moduleId', async (req, res) => {
    const module = await getMyModule(deps, viewerOf(req), moduleId(req.params.moduleId));
    res.json({ module } satisfies ModuleResponse);
  });

  router.get(copyPath, async (req, res) => {
    const copy = await openCopy(deps, viewerOf(req), ...ids(req));
    res.json({ copy } satisfies NotebookCopyResponse);
  });

  router.get(`${copyPath}/version`, async (req, res) => {
    const version = await getCopyVersion(deps, viewerOf(req), ...ids(req));
    res.json({ version } satisfies NotebookVersionResponse);
  });

  router.put(
    copyPath,
    withBody(saveNotebookBodySchema, async (body, req, res) => {
      const saved = await saveCopy(deps, viewerOf(req), ...ids(req), body);
      res.json({
        version: saved.version,
        status: saved.status,
        updatedAt: saved.updatedAt.toISOString(),
      } satisfies SaveNotebookResponse);
    }),
  );

  router.patch(
    copyPath,
    withBody(updateCopyStatusBodySchema, async ({ status }, req, res) => {
      const updated = await markCopyStatus(deps, viewerOf(req), ...ids(req), status);
      res.json({
        status: updated.status,
        updatedAt: updated.updatedAt.toISOString(),
      } satisfies CopyStatusResponse);
    }),
  );

  router.post(`${copyPath}/reset`, async (req, res) => {
    const copy = await resetCopy(deps, viewerOf(req), ...ids(req));
    res.json({ copy } satisfies NotebookCopyResponse);
  });

  router.post(`${copyPath}/keep`, async (req, res) => {
    const copy = await keepCopy(deps, viewerOf(req), ...ids(req));
    res.json({ copy } satisfies NotebookCopyResponse);
  });

  router.get(`${copyPath}/download`, async (req, res) => {
    const copy = await openCopy(deps, viewerOf(req), ...ids(req));
    res
      .attachment(downloadFilename(copy.title))
      .type(IPYNB_TYPE)
      .send(JSON.stringify(copy.content));
  });

  return router;
}

/** The caller's personal notebooks under /api/notebooks (behind `authenticate`). */
export function personalNotebooksRoutes(deps: LearningDeps): Router {
  const router = Router();
  const id = (req: Request) => notebookId(req.params.id);

  router.get('/', async (req, res) => {
    const notebooks = await listMyNotebooks(deps, requireAuth(req).user.id);
    res.json({
      notebooks: notebooks.map(toPersonalNotebookSummary),
      limits: { maxNotebooks: deps.limits.personalMax, maxBytes: deps.limits.maxBytes },
    } satisfies ListPersonalNotebooksResponse);
  });

  router.post(
    '/',
    withBody(createPersonalNotebookBodySchema, async (body, req, res) => {
      const notebook = await addNotebook(deps, requireAuth(req).user.id, body);
      res
        .status(201)
        .json({ notebook: toPersonalNotebook(notebook) } satisfies PersonalNotebookResponse);
    }),
  );

  router.get('/:id', async (req, res) => {
    const notebook = await getMyNotebook(deps, requireAuth(req).user.id, id(req));
    res.json({ notebook: toPersonalNotebook(notebook) } satisfies PersonalNotebookResponse);
  });

  router.get('/:id/version', async (req, res) => {
    const version = await getMyNotebookVersion(deps, requireAuth(req).user.id, id(req));
    res.json({ version } satisfies NotebookVersionResponse);
  });

  router.put(
    '/:id',
    withBody(saveNotebookBodySchema, async (body, req, res) => {
      const saved = await saveMyNotebook(deps, requireAuth(req).user.id, id(req), body);
      res.json({
        version: saved.version,
        updatedAt: saved.updatedAt.toISOString(),
      } satisfies SaveNotebookResponse);
    }),
  );

  router.patch(
    '/:id',
    withBody(renamePersonalNotebookBodySchema, async ({ title }, req, res) => {
      const notebook = await renameMyNotebook(deps, requireAuth(req).user.id, id(req), title);
      res.json({ notebook: toPersonalNotebook(notebook) } satisfies PersonalNotebookResponse);
    }),
  );

  router.delete('/:id', async (req, res) => {
    await deleteMyNotebook(deps, requireAuth(req).user.id, id(req));
    res.status(204).end();
  });

  router.get('/:id/download', async (req, res) => {
    const notebook = await getMyNotebook(deps, requireAuth(req).user.id, id(req));
    res
      .attachment(downloadFilename(notebook.title))
      .type(IPYNB_TYPE)
      .send(JSON.stringify(notebook.content));
  });

  return router;
}
