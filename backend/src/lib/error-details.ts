import type { ErrorDetail } from '@hintbook/contracts';
import type { z } from 'zod';

/**
 * zod's issues as the API's error details: one `{ path, message }` per problem, the path dotted
 * (`cells.0.source`; empty for the value as a whole). A strict object's unknown keys are one
 * detail each, at the key's own path, so a misspelt field is named where the form or the script
 * sent it. `limit` keeps a long list (a broken notebook can have hundreds) to the first few.
 */
export function toErrorDetails(
  issues: readonly z.core.$ZodIssue[],
  limit = Number.POSITIVE_INFINITY,
): ErrorDetail[] {
  return issues
    .flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({
            path: dotted([...issue.path, key]),
            message: `"${key}" is not a field here; check its spelling`,
          }))
        : [{ path: dotted(issue.path), message: issue.message }],
    )
    .slice(0, limit);
}

function dotted(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}
