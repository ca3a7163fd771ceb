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

/** Parses query parameters at the edge; Express 5 makes `req.query` read-only, so it returns them. */
export function parseQuery<Schema extends z.ZodType>(
  schema: Schema,
  query: unknown,
): z.output<Schema> {
  const result = schema.safeParse(query ?? {});
  if (!result.success) {
    throw validationFailed(
      result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    );
  }
  return result.data;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * An id from the path. Anything that is not a UUID cannot exist, so it is the same 404 as a
 * missing or foreign id (and never reaches Postgres as a malformed uuid).
 */
export function parseIdParam(value: unknown, notFoundError: () => Error): string {
  if (typeof value !== 'string' || !UUID.test(value)) throw notFoundError();
  return value;
}
