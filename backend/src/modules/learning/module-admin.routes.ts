import express, { Router, type Request } from 'express';
import {
  createModuleBodySchema,
  importModuleQuerySchema,
  reorderModulesBodySchema,
  reorderNotebooksBodySchema,
  replaceModuleNotebookBodySchema,
  updateModuleBodySchema,
  updateModuleNotebookBodySchema,
  uploadDataFileBodySchema,
  uploadModuleNotebookBodySchema,
} from '@hintbook/contracts';
import { AppError } from '../../lib/app-error.js';
import { requireAuth } from '../../middleware/authenticate.js';
import { parseIdParam, parseQuery, withBody } from '../../middleware/validate.js';
import {
  adminModuleNotFound,
  fileNotFound,
  importInvalid,
  notebookNotFound,
} from './learning.errors.js';
import type { ModuleAdminDeps } from './learning.types.js';
import {
  addNotebook,
  createModule,
  deleteDataFile,
  deleteModule,
  deleteNotebook,
  getAdminModule,
  listAdminModules,
  previewNotebook,
  putDataFile,
  readNotebookBody,
  reorderModules,
  reorderNotebooks,
  setModulePublished,
  updateModule,
  updateNotebook,
} from './module-admin.service.js';
import { getModuleClassProgress, getModuleStudentProgress } from './class-progress.service.js';
import { importModuleZip } from './module-import.service.js';

/** Largest zip an import accepts (compressed). */
export const IMPORT_MAX_ZIP_BYTES = 50 * 1024 * 1024;

const moduleId = (req: Request) => parseIdParam(req.params.moduleId, adminModuleNotFound);
const notebookId = (req: Request) => parseIdParam(req.params.notebookId, notebookNotFound);
const actor = (req: Request) => requireAuth(req).user;

const zipBody = express.raw({
  type: ['application/zip', 'application/x-zip-compressed', 'application/octet-stream'],
  limit: IMPORT_MAX_ZIP_BYTES,
});

/** `/api/admin/modules`: modules, their notebooks and data files, previews and zip imports. */
export function adminModulesRoutes(deps: ModuleAdminDeps): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    res.json({ modules: await listAdminModules(deps) });
  });
  router.post(
    '/',
    withBody(createModuleBodySchema, async (body, req, res) => {
      const created = await createModule(deps, actor(req), body);
      deps.indexer.moduleChanged(created.id);
      res.status(201).json({ module: created });
    }),
  );
  router.post(
    '/import',
    (req, res, next) => {
      zipBody(req, res, (error?: unknown) => {
        const type = (error as { type?: string } | undefined)?.type;
        if (type === 'entity.too.large') {
          next(new AppError(413, 'request.too_large', 'The zip is over 50 MB'));
          return;
        }
        next(error);
      });
    },
    async (req, res) => {
      if (!Buffer.isBuffer(req.body) || req.body.byteLength === 0) {
        throw importInvalid([
          { path: '', message: 'Send the zip as the body (Content-Type: application/zip)' },
        ]);
      }
      const query = parseQuery(importModuleQuerySchema, req.query);
      const imported = await importModuleZip(deps, actor(req), req.body, query);
      deps.indexer.moduleChanged(imported.module.id);
      res.json(imported);
    },
  );
  router.put(
    '/order',
    withBody(reorderModulesBodySchema, async ({ moduleIds }, req, res) => {
      res.json({ modules: await reorderModules(deps, actor(req), moduleIds) });
    }),
  );
  router.get('/:moduleId', async (req, res) => {
    res.json({ module: await getAdminModule(deps.db, moduleId(req)) });
  });
  router.get('/:moduleId/progress', async (req, res) => {
    res.json(await getModuleClassProgress(deps.db, moduleId(req)));
  });
  router.get('/:moduleId/progress/students', async (req, res) => {
    res.json(await getModuleStudentProgress(deps.db, moduleId(req)));
  });
  router.patch(
    '/:moduleId',
    withBody(updateModuleBodySchema, async (body, req, res) => {
      const updated = await updateModule(deps, actor(req), moduleId(req), body);
      // The module's title is part of every citation of its material.
      deps.indexer.moduleChanged(updated.id);
      res.json({ module: updated });
    }),
  );
  router.delete('/:moduleId', async (req, res) => {
    await deleteModule(deps, actor(req), moduleId(req));
    res.status(204).end();
  });
  router.post('/:moduleId/publish', async (req, res) => {
    res.json({ module: await setModulePublished(deps, actor(req), moduleId(req), true) });
  });
  router.post('/:moduleId/unpublish', async (req, res) => {
    res.json({ module: await setModulePublished(deps, actor(req), moduleId(req), false) });
  });
  router.post(
    '/:moduleId/notebooks',
    withBody(uploadModuleNotebookBodySchema, async (body, req, res) => {
      const content = readNotebookBody(body.content, deps.notebooks.maxBytes);
      const notebook = await addNotebook(deps, actor(req), moduleId(req), { ...body, content });
      deps.indexer.moduleNotebookChanged(notebook.id);
      res.status(201).json({ notebook });
    }),
  );
  router.put(
    '/:moduleId/notebooks/order',
    withBody(reorderNotebooksBodySchema, async ({ notebookIds }, req, res) => {
      res.json({ module: await reorderNotebooks(deps, actor(req), moduleId(req), notebookIds) });
    }),
  );
  router.patch(
    '/:moduleId/notebooks/:notebookId',
    withBody(updateModuleNotebookBodySchema, async (body, req, res) => {
      const notebook = await updateNotebook(deps, actor(req), moduleId(req), notebookId(req), body);
      deps.indexer.moduleNotebookChanged(notebook.id);
      res.json({ notebook });
    }),
  );
  router.put(
    '/:moduleId/notebooks/:notebookId/content',
    withBody(replaceModuleNotebookBodySchema, async (body, req, res) => {
      const content = readNotebookBody(body.content, deps.notebooks.maxBytes);
      const notebook = await updateNotebook(deps, actor(req), moduleId(req), notebookId(req), {
        content,
      });
      deps.indexer.moduleNotebookChanged(notebook.id);
      res.json({ notebook });
    }),
  );
  router.delete('/:moduleId/notebooks/:notebookId', async (req, res) => {
    await deleteNotebook(deps, actor(req), moduleId(req), notebookId(req));
    res.status(204).end();
  });
  router.get('/:moduleId/notebooks/:notebookId/preview', async (req, res) => {
    res.json(await previewNotebook(deps, moduleId(req), notebookId(req)));
  });
  router.post(
    '/:moduleId/files',
    withBody(uploadDataFileBodySchema, async (body, req, res) => {
      const file = await putDataFile(deps, actor(req), moduleId(req), body);
      deps.indexer.moduleChanged(moduleId(req));
      res.status(201).json({ file });
    }),
  );
  router.delete('/:moduleId/files/:fileId', async (req, res) => {
    const fileId = parseIdParam(req.params.fileId, fileNotFound);
    await deleteDataFile(deps, actor(req), moduleId(req), fileId);
    res.status(204).end();
  });
  return router;
}
