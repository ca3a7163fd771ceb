import express from 'express';
import { pino } from 'pino';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { AppError } from '../lib/app-error.js';
import { mailNotConfigured } from '../modules/mail/mail.errors.js';
import { errorHandler } from './error-handler.js';
import { requestLogger } from './request-logger.js';

/** The app's request log and error handler around three routes, with every line captured. */
function appWithLog() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  const app = express();
  app.use(requestLogger(logger));
  app.get('/mail', (_req, _res, next) => next(mailNotConfigured()));
  app.get('/gone', (_req, _res, next) => next(new AppError(404, 'request.not_found', 'No such')));
  app.get('/bug', () => {
    throw new Error('a bug');
  });
  app.use(errorHandler);
  const requestLine = () => lines.find((line) => typeof line['responseTime'] === 'number')!;
  return { app, lines, requestLine };
}

const WARN = 40;
const ERROR = 50;

describe('the request log', () => {
  it('logs a 503 the app answers on purpose at warn, with its code and no stack trace', async () => {
    const { app, requestLine } = appWithLog();
    await request(app).get('/mail').expect(503);
    const line = requestLine();
    expect(line).toMatchObject({ level: WARN, errorCode: 'auth.mail_not_configured' });
    expect(line['err']).toBeUndefined();
    expect(JSON.stringify(line)).not.toContain('stack');
  });

  it('gives a 4xx line its error code', async () => {
    const { app, requestLine } = appWithLog();
    await request(app).get('/gone').expect(404);
    expect(requestLine()).toMatchObject({ level: WARN, errorCode: 'request.not_found' });
  });

  it('still logs an unexpected failure at error, with its stack on the handler line', async () => {
    const { app, lines, requestLine } = appWithLog();
    await request(app).get('/bug').expect(500);
    expect(requestLine()).toMatchObject({ level: ERROR });
    expect(requestLine()['errorCode']).toBeUndefined();
    const handled = lines.find((line) => line['msg'] === 'unhandled error')!;
    expect(handled).toMatchObject({ level: ERROR, err: { message: 'a bug' } });
    expect(String((handled['err'] as { stack: string }).stack)).toContain('a bug');
  });
});
