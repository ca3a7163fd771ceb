import type {
  AiPolicyNow,
  LearningModule,
  NotebookContent,
  NotebookCopy,
  NotebookDataFile,
  PersonalNotebook,
  PersonalNotebookSummary,
} from '@hintbook/contracts';
import type { CopyRow } from './copies.repository.js';
import type { ModuleNotebookRow, ModuleNotebookSummaryRow } from './module-notebooks.repository.js';
import type { ModuleRow } from './modules.repository.js';
import type {
  PersonalNotebookRow,
  PersonalNotebookSummaryRow,
} from './personal-notebooks.repository.js';

export interface CopyProgress {
  id: string;
  moduleNotebookId: string;
  status: CopyRow['status'];
  updatedAt: Date;
}

/** Exercises per notebook: how many, and how many the viewer passed a check of. */
export type ExerciseProgress = Map<string, { total: number; passed: number }>;

export function toLearningModule(
  module: ModuleRow,
  notebooks: ModuleNotebookSummaryRow[],
  progress: Map<string, CopyProgress>,
  exercises: ExerciseProgress,
  aiPolicy: AiPolicyNow,
): LearningModule {
  return {
    id: module.id,
    slug: module.slug,
    title: module.title,
    description: module.description,
    position: module.position,
    published: module.published,
    aiPolicy,
    notebooks: notebooks.map((notebook) => {
      const copy = progress.get(notebook.id);
      return {
        id: notebook.id,
        slug: notebook.slug,
        title: notebook.title,
        description: notebook.description,
        position: notebook.position,
        version: notebook.version,
        status: copy?.status ?? 'not_started',
        copyId: copy?.id ?? null,
        copyUpdatedAt: copy?.updatedAt.toISOString() ?? null,
        exercises: exercises.get(notebook.id) ?? { total: 0, passed: 0 },
      };
    }),
  };
}

export interface DataFileRow {
  path: string;
  mime: string;
  sizeBytes: number;
  content: Buffer;
}

export function toDataFile(row: DataFileRow): NotebookDataFile {
  return {
    path: row.path,
    mime: row.mime,
    sizeBytes: row.sizeBytes,
    contentBase64: row.content.toString('base64'),
  };
}

// Stored notebooks were validated as nbformat on the way in (saves, uploads, the seed).
export function toNotebookCopy(
  original: ModuleNotebookRow,
  copy: CopyRow,
  files: DataFileRow[],
): NotebookCopy {
  return {
    id: copy.id,
    moduleId: original.moduleId,
    notebookId: original.id,
    title: original.title,
    description: original.description,
    content: copy.content as NotebookContent,
    version: copy.version,
    status: copy.status,
    sourceVersion: copy.sourceVersion,
    originalVersion: original.version,
    originalUpdated: original.version > copy.sourceVersion,
    files: files.map(toDataFile),
    createdAt: copy.createdAt.toISOString(),
    updatedAt: copy.updatedAt.toISOString(),
  };
}

export function toPersonalNotebookSummary(
  row: PersonalNotebookSummaryRow,
): PersonalNotebookSummary {
  return {
    id: row.id,
    title: row.title,
    version: row.version,
    sizeBytes: row.sizeBytes,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toPersonalNotebook(row: PersonalNotebookRow): PersonalNotebook {
  return { ...toPersonalNotebookSummary(row), content: row.content as NotebookContent };
}
