import { AppError } from '../../lib/app-error.js';

export const adminUserNotFound = () =>
  new AppError(404, 'admin.user_not_found', 'That account does not exist');
export const cannotChangeSelf = () =>
  new AppError(400, 'admin.cannot_change_self', 'You cannot do this to your own account');
export const transcriptsDisabled = () =>
  new AppError(
    403,
    'admin.transcripts_disabled',
    'Reading transcripts is turned off (ADMIN_CAN_READ_TRANSCRIPTS)',
  );
export const providerErrorNotFound = () =>
  new AppError(404, 'admin.provider_error_not_found', 'No such provider error');
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
export const filePathTaken = () =>
  new AppError(409, 'admin.file_path_taken', 'A file with that path already exists here');
export const invalidOrder = () =>
  new AppError(400, 'admin.invalid_order', 'The order must list every item exactly once');
export const importInvalid = (details: Array<{ path: string; message: string }>) =>
  new AppError(400, 'admin.import_invalid', 'The import was refused; nothing was changed', details);
