import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** `res.locals` key under which the error handler leaves the code of an error it expected. */
export const EXPECTED_ERROR_CODE = 'hintbookErrorCode';

type LoggedResponse = ServerResponse & { locals?: Record<string, unknown> };

function expectedErrorCode(res: LoggedResponse): string | undefined {
  const code = res.locals?.[EXPECTED_ERROR_CODE];
  return typeof code === 'string' ? code : undefined;
}

/**
 * One JSON line per request with a request id: taken from `X-Request-Id` when it looks sane
 * (so nginx and the backend share ids), generated otherwise, and echoed back.
 *
 * Levels: a 5xx nobody expected is `error` (the error handler logs its stack on its own line); an
 * answer the app gave on purpose (a 4xx, or a 503 like "this Hintbook cannot send email") is
 * `warn` and carries its error code instead of a stack trace, which for those would only show
 * where the logger noticed the status.
 */
export function requestLogger(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId(req, res) {
      const incoming = req.headers['x-request-id'];
      const id =
        typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customLogLevel(_req, res, error) {
      if (error) return 'error';
      if (res.statusCode >= 500) return expectedErrorCode(res) ? 'warn' : 'error';
      if (res.statusCode >= 400) return 'warn';
      return 'info';
    },
    customSuccessObject(_req, res, fields) {
      const code = expectedErrorCode(res);
      return code ? { ...fields, errorCode: code } : fields;
    },
    customErrorObject(_req, res, _error, fields) {
      const code = expectedErrorCode(res);
      if (!code) return fields;
      const { err: _synthetic, ...rest } = fields as Record<string, unknown>;
      return { ...rest, errorCode: code };
    },
    customErrorMessage(_req, res) {
      const code = expectedErrorCode(res);
      return code ? `request answered ${res.statusCode} ${code}` : 'request errored';
    },
    // Keep the line small and free of secrets: no headers, no bodies, no query strings.
    serializers: {
      req: (req: IncomingMessage & { id?: string }) => ({
        id: req.id,
        method: req.method,
        url: req.url?.split('?')[0],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
}
