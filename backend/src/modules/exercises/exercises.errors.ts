import type { ErrorDetail } from '@hintbook/contracts';
import { AppError } from '../../lib/app-error.js';

export const exerciseMarkersInvalid = (details: ErrorDetail[]) =>
  new AppError(
    400,
    'exercises.markers_invalid',
    'A cell has BEGIN/END SOLUTION or HIDDEN TESTS markers that do not pair up; fix them so no solution is half hidden',
    details,
  );

export const exerciseNotFound = () =>
  new AppError(404, 'exercises.not_found', 'This exercise does not exist');
