import { AppError } from '../../lib/app-error.js';

export const metricsOff = () =>
  new AppError(
    409,
    'system.metrics_off',
    'Metrics are turned off on this server (METRICS_RECORDING=off), so there is nothing to show.',
  );
