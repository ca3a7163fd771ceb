import { z } from 'zod';
import type { ErrorResponse } from './errors.js';
import { aiPolicyNowSchema } from './exercises.js';

/** Where a student is with one module notebook; they may set it themselves. */
export const notebookStatusSchema = z.enum(['not_started', 'in_progress', 'completed']);
export type NotebookStatus = z.infer<typeof notebookStatusSchema>;

// ---- nbformat 4 ----
// Strict on what makes a file a notebook (nbformat 4, cells with a known type and a source),
// tolerant of everything tools add (extra metadata, cell ids, attachments, widget state).

const multilineText = z.union([z.string(), z.array(z.string())]);
const metadataObject = z.record(z.string(), z.unknown());

const codeCellSchema = z.looseObject({
  cell_type: z.literal('code'),
  source: multilineText,
  metadata: metadataObject.default({}),
  outputs: z.array(z.looseObject({ output_type: z.string() })).default([]),
  execution_count: z.number().int().nullable().default(null),
});

const markdownCellSchema = z.looseObject({
  cell_type: z.literal('markdown'),
  source: multilineText,
  metadata: metadataObject.default({}),
});

const rawCellSchema = z.looseObject({
  cell_type: z.literal('raw'),
  source: multilineText,
  metadata: metadataObject.default({}),
});

export const notebookCellSchema = z.discriminatedUnion('cell_type', [
  codeCellSchema,
  markdownCellSchema,
  rawCellSchema,
]);

/** A Jupyter notebook in nbformat 4, the format JupyterLite reads and writes. */
export const notebookContentSchema = z.looseObject({
  nbformat: z.literal(4, { message: 'Only nbformat 4 notebooks are supported' }),
  nbformat_minor: z.number().int().min(0),
  metadata: metadataObject.default({}),
  cells: z.array(notebookCellSchema),
});
export type NotebookContent = z.output<typeof notebookContentSchema>;

// ---- module notebooks (the course) ----

/** A data file placed into the kernel's working folder when the notebook opens. */
export const notebookDataFileSchema = z.object({
  /** Relative to the working folder, e.g. `scores.csv` or `data/scores.csv`. */
  path: z.string(),
  mime: z.string(),
  sizeBytes: z.number().int(),
  /** The bytes, base64-encoded (JupyterLite's contents API takes `format: 'base64'`). */
  contentBase64: z.string(),
});
export type NotebookDataFile = z.infer<typeof notebookDataFileSchema>;

/** A path a data file may have: relative, no `..`, no backslashes, ordinary characters. */
export const dataFilePathSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_\- ]+[A-Za-z0-9_.\- ]*(\/[A-Za-z0-9_\- ]+[A-Za-z0-9_.\- ]*)*$/, {
    message: 'Use a relative path such as data/scores.csv (letters, digits, . _ - and /)',
  })
  .refine((path) => !path.split('/').some((part) => part === '.' || part === '..'), {
    message: 'A data file path may not contain . or .. segments',
  });

export const moduleNotebookSummarySchema = z.object({
  id: z.string(),
  slug: z.string(),
  title: z.string(),
  description: z.string(),
  position: z.number().int(),
  /** The original's version; bumped when an admin replaces the notebook. */
  version: z.number().int(),
  /** The caller's progress; `not_started` until they open and save it. */
  status: notebookStatusSchema,
  /** The caller's copy, once opened (the `notebookId` of a `module_notebook` chat). */
  copyId: z.string().nullable(),
  copyUpdatedAt: z.string().nullable(),
  /** The notebook's exercises and how many the caller passed a check of. */
  exercises: z.object({ total: z.number().int(), passed: z.number().int() }),
});
export type ModuleNotebookSummary = z.infer<typeof moduleNotebookSummarySchema>;

export const learningModuleSchema = z.object({
  id: z.string(),
  slug: z.string(),
  title: z.string(),
  description: z.string(),
  position: z.number().int(),
  /** Always true for students; admins also see unpublished modules. */
  published: z.boolean(),
  notebooks: z.array(moduleNotebookSummarySchema),
  /** How the tutor may help in this module right now, in plain words. */
  aiPolicy: aiPolicyNowSchema,
});
export type LearningModule = z.infer<typeof learningModuleSchema>;

/** `GET /api/modules`: published modules in order, each with the caller's progress. */
export const listModulesResponseSchema = z.object({ modules: z.array(learningModuleSchema) });
export type ListModulesResponse = z.infer<typeof listModulesResponseSchema>;

/** `GET /api/modules/:moduleId`. */
export const moduleResponseSchema = z.object({ module: learningModuleSchema });
export type ModuleResponse = z.infer<typeof moduleResponseSchema>;

/** The caller's own copy of a module notebook, created the first time they open it. */
export const notebookCopySchema = z.object({
  /** Stable per student and notebook: the `notebookId` of a `module_notebook` chat session. */
  id: z.string(),
  moduleId: z.string(),
  notebookId: z.string(),
  title: z.string(),
  description: z.string(),
  content: notebookContentSchema,
  /** Send back as `baseVersion` with the next save. */
  version: z.number().int(),
  status: notebookStatusSchema,
  /** The original's version this copy was made (or last reset) from. */
  sourceVersion: z.number().int(),
  originalVersion: z.number().int(),
  /** True when the teacher replaced the original after this copy was made: offer keep or reset. */
  originalUpdated: z.boolean(),
  files: z.array(notebookDataFileSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type NotebookCopy = z.infer<typeof notebookCopySchema>;

/** `GET …/copy`, `POST …/copy/reset`, `POST …/copy/keep`. */
export const notebookCopyResponseSchema = z.object({ copy: notebookCopySchema });
export type NotebookCopyResponse = z.infer<typeof notebookCopyResponseSchema>;

/**
 * `PUT …/copy` and `PUT /api/notebooks/:id`: a save. A `baseVersion` older than the stored one
 * is refused with 409 `notebooks.version_conflict` (see `readCurrentVersion`), never merged.
 */
export const saveNotebookBodySchema = z.object({
  content: notebookContentSchema,
  baseVersion: z.number().int().min(1),
});
export type SaveNotebookBody = z.infer<typeof saveNotebookBodySchema>;

export const saveNotebookResponseSchema = z.object({
  version: z.number().int(),
  updatedAt: z.string(),
  /** Module copies only: the first save moves `not_started` to `in_progress`. */
  status: notebookStatusSchema.optional(),
});
export type SaveNotebookResponse = z.infer<typeof saveNotebookResponseSchema>;

/**
 * `GET …/copy/version` and `GET /api/notebooks/:id/version`: the stored version alone, for
 * "keep mine" after a conflict whose answer did not say it (no notebook body travels).
 */
export const notebookVersionResponseSchema = z.object({ version: z.number().int() });
export type NotebookVersionResponse = z.infer<typeof notebookVersionResponseSchema>;

/** `PATCH …/copy`: the student marks their progress. */
export const updateCopyStatusBodySchema = z.object({ status: notebookStatusSchema });
export type UpdateCopyStatusBody = z.infer<typeof updateCopyStatusBodySchema>;

export const copyStatusResponseSchema = z.object({
  status: notebookStatusSchema,
  updatedAt: z.string(),
});
export type CopyStatusResponse = z.infer<typeof copyStatusResponseSchema>;

/**
 * The stored version carried by a 409 `notebooks.version_conflict`, as the detail with path
 * `currentVersion`. Reload (GET) to get the stored content before deciding what to keep.
 */
export function readCurrentVersion(error: ErrorResponse): number | undefined {
  if (error.error.code !== 'notebooks.version_conflict') return undefined;
  const detail = error.error.details?.find((entry) => entry.path === 'currentVersion');
  const version = Number(detail?.message);
  return Number.isInteger(version) ? version : undefined;
}

// ---- personal notebooks ----

export const personalNotebookSummarySchema = z.object({
  /** Also the `notebookId` of a `personal_notebook` chat session. */
  id: z.string(),
  title: z.string(),
  version: z.number().int(),
  sizeBytes: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PersonalNotebookSummary = z.infer<typeof personalNotebookSummarySchema>;

export const personalNotebookSchema = personalNotebookSummarySchema.extend({
  content: notebookContentSchema,
});
export type PersonalNotebook = z.infer<typeof personalNotebookSchema>;

/** `GET /api/notebooks`: newest first, with how many more the caller may keep. */
export const listPersonalNotebooksResponseSchema = z.object({
  notebooks: z.array(personalNotebookSummarySchema),
  limits: z.object({ maxNotebooks: z.number().int(), maxBytes: z.number().int() }),
});
export type ListPersonalNotebooksResponse = z.infer<typeof listPersonalNotebooksResponseSchema>;

export const notebookTitleSchema = z.string().trim().min(1).max(120);

/**
 * `POST /api/notebooks`: upload an .ipynb (`content` is the file's text, exactly as read) or,
 * without `content`, start a blank notebook. The title defaults to the file name.
 */
export const createPersonalNotebookBodySchema = z.object({
  filename: z.string().trim().max(255).optional(),
  title: notebookTitleSchema.optional(),
  content: z.string().optional(),
});
export type CreatePersonalNotebookBody = z.infer<typeof createPersonalNotebookBodySchema>;

/** `PATCH /api/notebooks/:id`. */
export const renamePersonalNotebookBodySchema = z.object({ title: notebookTitleSchema });
export type RenamePersonalNotebookBody = z.infer<typeof renamePersonalNotebookBodySchema>;

/** `POST /api/notebooks` (201), `GET` and `PATCH /api/notebooks/:id`. */
export const personalNotebookResponseSchema = z.object({ notebook: personalNotebookSchema });
export type PersonalNotebookResponse = z.infer<typeof personalNotebookResponseSchema>;
