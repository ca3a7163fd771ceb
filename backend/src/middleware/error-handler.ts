import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { ErrorResponse } from '@hintbook/contracts';
import { isConnectionError } from '../db/errors.js';
import { AppError, notFound } from '../lib/app-error.js';
import { EXPECTED_ERROR_CODE } from './request-logger.js';

/** Unknown `/api/*` routes answer JSON, never the SPA's index.html or Express's HTML page. */
export const apiNotFound: RequestHandler = (req, _res, next) => {
  next(notFound(`No API route for ${req.method} ${req.baseUrl}${req.path}`));
};

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  limit?: number;
}

/**
 * The one place errors become responses. Expected errors keep their code and message;
 * anything else is logged with its stack and answered with a generic 500, so stack traces,
 * SQL and provider bodies never leave the server.
 */
export const errorHandler: ErrorRequestHandler = (error: unknown, req, res, next) => {
  if (res.headersSent) {
    next(error);
    return;
  }
  const appError = toAppError(error);
  if (appError) {
    markExpected(res, appError.code);
    if (appError.headers) res.set(appError.headers);
    res.status(appError.status).json(toBody(appError));
    return;
  }
  if (isConnectionError(error)) {
    req.log.warn({ err: error }, 'database unavailable');
    markExpected(res, 'database.unavailable');
    res
      .status(503)
      .set('Retry-After', '5')
      .json({
        error: {
          code: 'database.unavailable',
          message:
            'Hintbook cannot reach its database right now; nothing was changed. Try again in a moment.',
        },
      } satisfies ErrorResponse);
    return;
  }
  req.log.error({ err: error }, 'unhandled error');
  res.status(500).json({
    error: { code: 'internal', message: 'Something went wrong on our side; please try again' },
  } satisfies ErrorResponse);
};

/**
 * Tells the request log this error was answered on purpose (`request-logger.ts`): its line then
 * carries the code, not a stack trace of the logger's own making, even for a 503 such as
 * `auth.mail_not_configured`.
 */
function markExpected(res: Response, code: string) {
  res.locals[EXPECTED_ERROR_CODE] = code;
}

function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  const bodyError = error as BodyParserError;
  switch (bodyError?.type) {
    case 'entity.parse.failed':
      return new AppError(400, 'request.malformed_json', 'The request body is not valid JSON');
    case 'entity.too.large':
      return new AppError(
        413,
        'request.too_large',
        `The request body is larger than the ${bodyError.limit ?? ''} byte limit`.replace(
          '  ',
          ' ',
        ),
      );
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError(415, 'validation.failed', 'Send the body as UTF-8 JSON');
    default:
      return undefined;
  }
}

function toBody(error: AppError): ErrorResponse {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details ? { details: error.details } : {}),
    },
  };
}
