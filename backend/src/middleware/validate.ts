import type { Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { validationFailed } from '../lib/app-error.js';
import { toErrorDetails } from '../lib/error-details.js';

/**
 * A route handler whose body is validated once, at the edge: the schema is named here only, and
 * the handler gets the parsed value (trimmed, defaulted, typed) and never re-parses. A body that
 * does not match answers 400 `validation.failed` with one detail per field, before `handle` runs.
 */
export function withBody<Schema extends z.ZodType>(
  schema: Schema,
  handle: (body: z.output<Schema>, req: Request, res: Response) => Promise<void> | void,
): RequestHandler {
  return async (req, res) => {
    const result = schema.safeParse(req.body ?? {});
    if (!result.success) throw validationFailed(toErrorDetails(result.error.issues));
    await handle(result.data, req, res);
  };
}

/** Parses query parameters at the edge; Express 5 makes `req.query` read-only, so it returns them. */
export function parseQuery<Schema extends z.ZodType>(
  schema: Schema,
  query: unknown,
): z.output<Schema> {
  const result = schema.safeParse(query ?? {});
  if (!result.success) {
    throw validationFailed(toErrorDetails(result.error.issues));
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
