import express, { type RequestHandler } from 'express';
import { notebookTooLarge } from './learning.errors.js';

/**
 * JSON bodies for notebook routes, mounted before the API-wide parser (JSON_BODY_LIMIT stays
 * small for everything else). A notebook travels as a JSON value or as an escaped string, so
 * the body may be up to about twice the notebook limit; the exact limit is enforced on the
 * notebook itself. A body over even that is the same clear `notebooks.too_large`.
 */
export function notebookJsonBody(maxNotebookBytes: number): RequestHandler {
  const parse = express.json({ limit: maxNotebookBytes * 2 + 64 * 1024 });
  return (req, res, next) => {
    parse(req, res, (error?: unknown) => {
      const isTooLarge = (error as { type?: string } | undefined)?.type === 'entity.too.large';
      next(isTooLarge ? notebookTooLarge(maxNotebookBytes) : error);
    });
  };
}
