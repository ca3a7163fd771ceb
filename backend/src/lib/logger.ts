import { pino, type Logger } from 'pino';

/**
 * One JSON logger for the process. Secrets never reach the log: request logging records no
 * bodies, and these paths are censored wherever they appear.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'hintbook-backend' },
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
  });
}

export type { Logger };
