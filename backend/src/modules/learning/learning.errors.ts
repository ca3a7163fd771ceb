import type { ErrorDetail } from '@hintbook/contracts';
import { AppError } from '../../lib/app-error.js';

export const moduleNotFound = () =>
  new AppError(404, 'modules.not_found', 'This module does not exist or is not published');

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
