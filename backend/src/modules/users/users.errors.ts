import { AppError } from '../../lib/app-error.js';

// Codes kept from when user administration lived under `admin`: clients match on them.
export const adminUserNotFound = () =>
  new AppError(404, 'admin.user_not_found', 'That account does not exist');
export const cannotChangeSelf = () =>
  new AppError(400, 'admin.cannot_change_self', 'You cannot do this to your own account');
