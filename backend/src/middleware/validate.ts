import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { validationFailed } from '../lib/app-error.js';

/**
 * Validates `req.body` once at the edge and replaces it with the parsed value, so handlers get
 * trimmed, defaulted, typed data and never re-parse. Problems come back per field.
 */
export function validateBody(schema: z.ZodType): RequestHandler {
  return (req, _res, next) => {
    const result = schema.safeParse(req.body ?? {});
    if (!result.success) {
      next(
        validationFailed(
          result.error.issues.map((issue) => ({
            path: issue.path.join('.'),
            message: issue.message,
          })),
        ),
      );
      return;
    }
    req.body = result.data;
    next();
  };
}

/** The parsed body, typed by the schema that `validateBody` already applied. */
export function bodyOf<Schema extends z.ZodType>(
  _schema: Schema,
  req: { body: unknown },
): z.output<Schema> {
  return req.body as z.output<Schema>;
}
