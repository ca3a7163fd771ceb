import { z } from 'zod';
import {
  dataFilePathSchema,
  notebookContentSchema,
  notebookDataFileSchema,
  notebookStatusSchema,
} from './learning.js';
import { isoDate, uuid } from './admin-common.js';

/** `/api/admin/modules`: modules, their notebooks and data files as the admin edits them. */

export const moduleSlugSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{0,79}$/, 'Use lower-case letters, digits and dashes');

export const adminNotebookSchema = z.object({
  id: uuid,
  slug: z.string(),
  title: z.string(),
  description: z.string(),
  position: z.number().int(),
  version: z.number().int(),
  updatedAt: isoDate,
});
export type AdminNotebook = z.infer<typeof adminNotebookSchema>;

export const adminDataFileSchema = z.object({
  id: uuid,
  path: z.string(),
  mime: z.string(),
  sizeBytes: z.number().int(),
  /** Null: available to every notebook of the module. */
  notebookId: z.string().nullable(),
});
export type AdminDataFile = z.infer<typeof adminDataFileSchema>;

export const adminModuleSchema = z.object({
  id: uuid,
  slug: z.string(),
  title: z.string(),
  description: z.string(),
  position: z.number().int(),
  published: z.boolean(),
  notebooks: z.array(adminNotebookSchema),
  files: z.array(adminDataFileSchema),
  updatedAt: isoDate,
});
export type AdminModule = z.infer<typeof adminModuleSchema>;

export const listAdminModulesResponseSchema = z.object({ modules: z.array(adminModuleSchema) });
export type ListAdminModulesResponse = z.infer<typeof listAdminModulesResponseSchema>;

export const adminModuleResponseSchema = z.object({ module: adminModuleSchema });
export type AdminModuleResponse = z.infer<typeof adminModuleResponseSchema>;

/**
 * `GET /api/admin/modules/:moduleId/progress`: how far the class is, notebook by notebook.
 * `students` is everyone the module is for (active accounts, not admins, in one of its groups
 * when it has any); those without a copy or with an untouched one have not started.
 */
export const moduleClassProgressResponseSchema = z.object({
  students: z.number().int().min(0),
  notebooks: z.array(
    z.object({
      notebookId: uuid,
      inProgress: z.number().int().min(0),
      completed: z.number().int().min(0),
    }),
  ),
});
export type ModuleClassProgressResponse = z.infer<typeof moduleClassProgressResponseSchema>;

/**
 * `GET /api/admin/modules/:id/progress/students`: each student the module is for, notebook by
 * notebook (status, exercises passed, last change), for the teacher's gradebook.
 */
export const moduleStudentProgressResponseSchema = z.object({
  notebooks: z.array(
    z.object({ notebookId: uuid, title: z.string(), exercises: z.number().int().min(0) }),
  ),
  students: z.array(
    z.object({
      userId: uuid,
      username: z.string(),
      email: z.string(),
      groups: z.array(z.string()),
      notebooks: z.array(
        z.object({
          notebookId: uuid,
          status: notebookStatusSchema,
          exercisesPassed: z.number().int().min(0),
          updatedAt: isoDate.nullable(),
        }),
      ),
    }),
  ),
});
export type ModuleStudentProgressResponse = z.infer<typeof moduleStudentProgressResponseSchema>;

// Admins' bodies are strict: a misspelt field is refused rather than ignored, which would look
// saved (or, for a field with a default, be saved as that default).
export const createModuleBodySchema = z.strictObject({
  slug: moduleSlugSchema,
  title: z.string().trim().min(1).max(200),
  description: z.string().trim().max(2000).default(''),
});
export type CreateModuleBody = z.input<typeof createModuleBodySchema>;

export const updateModuleBodySchema = z
  .strictObject({
    slug: moduleSlugSchema.optional(),
    title: z.string().trim().min(1).max(200).optional(),
    description: z.string().trim().max(2000).optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'Nothing to update' });
export type UpdateModuleBody = z.infer<typeof updateModuleBodySchema>;

/** `PUT /api/admin/modules/order`: every module id, in the new order. */
export const reorderModulesBodySchema = z.strictObject({ moduleIds: z.array(uuid).max(1000) });
export type ReorderModulesBody = z.infer<typeof reorderModulesBodySchema>;

/** `PUT /api/admin/modules/:id/notebooks/order`: every notebook id of the module, in order. */
export const reorderNotebooksBodySchema = z.strictObject({ notebookIds: z.array(uuid).max(1000) });
export type ReorderNotebooksBody = z.infer<typeof reorderNotebooksBodySchema>;

/** `POST /api/admin/modules/:id/notebooks`: a new notebook (content as JSON or as the file text). */
export const uploadModuleNotebookBodySchema = z.strictObject({
  slug: moduleSlugSchema.optional(),
  title: z.string().trim().min(1).max(200),
  description: z.string().trim().max(2000).default(''),
  content: z.union([z.string(), z.record(z.string(), z.unknown())]),
});
export type UploadModuleNotebookBody = z.input<typeof uploadModuleNotebookBodySchema>;

export const updateModuleNotebookBodySchema = z
  .strictObject({
    title: z.string().trim().min(1).max(200).optional(),
    description: z.string().trim().max(2000).optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'Nothing to update' });
export type UpdateModuleNotebookBody = z.infer<typeof updateModuleNotebookBodySchema>;

/** `PUT …/notebooks/:id/content`: replaces the original; students with a copy get a notice. */
export const replaceModuleNotebookBodySchema = z.strictObject({
  content: z.union([z.string(), z.record(z.string(), z.unknown())]),
});
export type ReplaceModuleNotebookBody = z.input<typeof replaceModuleNotebookBodySchema>;

export const adminNotebookResponseSchema = z.object({ notebook: adminNotebookSchema });
export type AdminNotebookResponse = z.infer<typeof adminNotebookResponseSchema>;

/** `POST /api/admin/modules/:id/files`: a data file, base64 in JSON. */
export const uploadDataFileBodySchema = z.strictObject({
  path: dataFilePathSchema,
  mime: z.string().trim().min(1).max(200).default('application/octet-stream'),
  notebookId: uuid.nullable().default(null),
  contentBase64: z.base64(),
});
export type UploadDataFileBody = z.input<typeof uploadDataFileBodySchema>;

export const adminDataFileResponseSchema = z.object({ file: adminDataFileSchema });
export type AdminDataFileResponse = z.infer<typeof adminDataFileResponseSchema>;

/** `GET …/notebooks/:id/preview`: exactly what a student opening it would get. */
export const notebookPreviewResponseSchema = z.object({
  notebook: adminNotebookSchema.extend({ content: notebookContentSchema }),
  files: z.array(notebookDataFileSchema),
});
export type NotebookPreviewResponse = z.infer<typeof notebookPreviewResponseSchema>;

/**
 * `POST /api/admin/modules/import` with an `application/zip` body. The zip holds `.ipynb` files
 * (any folder depth) and optionally a `module.json` ({ slug, title, description }) and data
 * files under `data/`. The query may give `slug` and `title` instead of module.json.
 */
export const importModuleQuerySchema = z.object({
  slug: moduleSlugSchema.optional(),
  title: z.string().trim().min(1).max(200).optional(),
});
export type ImportModuleQuery = z.infer<typeof importModuleQuerySchema>;

export const importModuleResponseSchema = z.object({
  module: adminModuleSchema,
  isNewModule: z.boolean(),
  notebooksCreated: z.number().int(),
  notebooksUpdated: z.number().int(),
  notebooksUnchanged: z.number().int(),
  filesWritten: z.number().int(),
});
export type ImportModuleResponse = z.infer<typeof importModuleResponseSchema>;
