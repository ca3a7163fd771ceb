import { AppError } from '../../lib/app-error.js';

export const invitationInvalid = () =>
  new AppError(
    400,
    'roster.invitation_invalid',
    'This invitation does not work any more: it was used, it expired, or your teacher replaced it. Ask your teacher for a new one.',
  );

export const invitationForOtherEmail = (email: string) =>
  new AppError(403, 'roster.invitation_other_email', `This invitation is for ${email}.`, [
    { path: 'email', message: `This invitation is for ${email}` },
  ]);

export const invitationNotFound = () =>
  new AppError(404, 'roster.invitation_not_found', 'No open invitation with this id');

export const moduleNotFoundForGroups = () =>
  new AppError(404, 'request.not_found', 'No module with this id');

export const userNotFoundForGroups = () =>
  new AppError(404, 'request.not_found', 'No account with this id');
