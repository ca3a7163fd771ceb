import { pino, type Logger } from 'pino';
import { tracingHooks } from '../modules/observability/tracing-hooks.js';

/**
 * One JSON logger for the process. Secrets never reach the log: request logging records no
 * bodies, and these paths are censored wherever they appear.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'hintbook-backend' },
      // With tracing on, each line carries its trace id: a slow turn's log lines lead to its trace.
      mixin: () => tracingHooks.logFields(),
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'res.headers["set-cookie"]',
          '*.password',
          '*.newPassword',
          '*.currentPassword',
          '*.accessToken',
          '*.refreshToken',
          '*.apiKey',
        ],
        censor: '[redacted]',
      },
    },
    // Tests read the lines; the process writes to stdout.
    destination ?? pino.destination(1),
  );
}

export type { Logger };
