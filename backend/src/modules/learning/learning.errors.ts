import type { ErrorDetail } from '@hintbook/contracts';
import { AppError } from '../../lib/app-error.js';

/** For students: a module they cannot see is, to them, one that does not exist. */
export const moduleNotFound = () =>
  new AppError(404, 'modules.not_found', 'This module does not exist or is not published');

/** For admins, who see unpublished modules too: the id names no module at all. */
export const adminModuleNotFound = () =>
  new AppError(404, 'modules.not_found', 'No module has this id; it may have been deleted');

export const notebookNotFound = () =>
  new AppError(404, 'notebooks.not_found', 'This notebook does not exist');

/** The current version travels as the `currentVersion` detail (contracts: readCurrentVersion). */
export const versionConflict = (currentVersion: number) =>
  new AppError(
    409,
    'notebooks.version_conflict',
    'This notebook was saved from another tab or device since you opened it',
    [{ path: 'currentVersion', message: String(currentVersion) }],
  );

export const notebookNotJson = () =>
  new AppError(
    400,
    'notebooks.not_json',
    'This file is not a Jupyter notebook: it is not JSON. Choose an .ipynb file.',
  );

export const notebookNotNbformat = (details: ErrorDetail[]) =>
  new AppError(
    400,
    'notebooks.not_nbformat',
    'This file is JSON but not a Jupyter notebook (nbformat 4). Choose an .ipynb file saved by Jupyter.',
    details,
  );

export const notebookTooLarge = (maxBytes: number) =>
  new AppError(
    413,
    'notebooks.too_large',
    `Notebooks can be at most ${formatBytes(maxBytes)}. Clear large outputs (Edit → Clear All Outputs) and try again.`,
  );

export const notebookLimitReached = (max: number) =>
  new AppError(
    409,
    'notebooks.limit_reached',
    `You can keep ${max} notebooks. Delete one you no longer need first.`,
  );

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

// Module content as the admin edits it (codes kept from when these lived under `admin`).
export const moduleSlugTaken = () =>
  new AppError(409, 'admin.module_slug_taken', 'Another module already uses that slug');
export const notebookSlugTaken = () =>
  new AppError(409, 'admin.notebook_slug_taken', 'Another notebook of this module uses that slug');
export const fileNotFound = () => new AppError(404, 'admin.file_not_found', 'No such data file');
export const fileTooLarge = (maxBytes: number) =>
  new AppError(
    413,
    'admin.file_too_large',
    `Files may be at most ${Math.round(maxBytes / 1024)} KB`,
  );
export const invalidOrder = () =>
  new AppError(400, 'admin.invalid_order', 'The order must list every item exactly once');
export const importInvalid = (details: Array<{ path: string; message: string }>) =>
  new AppError(400, 'admin.import_invalid', 'The import was refused; nothing was changed', details);
