import type { ErrorDetail } from '@hintbook/contracts';
import type { z } from 'zod';

/**
 * zod's issues as the API's error details: one `{ path, message }` per problem, the path dotted
 * (`cells.0.source`; empty for the value as a whole). `limit` keeps a long list (a broken
 * notebook can have hundreds) to the first few.
 */
export function toErrorDetails(
  issues: readonly z.core.$ZodIssue[],
  limit = Number.POSITIVE_INFINITY,
): ErrorDetail[] {
  return issues.slice(0, limit).map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}
