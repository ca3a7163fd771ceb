import { ApiError } from './api-client';

export type FieldErrors<F extends string> = Partial<Record<F, string>>;

/** What a form shows after a failure: messages beside fields, and one message above the form. */
export interface FormFailure<F extends string> {
  fieldErrors: FieldErrors<F>;
  formError: string | null;
}

/** The shape shared by zod issues and the API's `details`, so both map the same way. */
interface Issue {
  path: string | readonly PropertyKey[];
  message: string;
}

const GENERIC_FAILURE = 'Something went wrong. Please try again.';

/** Puts each issue beside its field; issues about fields the form does not show go on top. */
export function failureFromIssues<F extends string>(
  issues: readonly Issue[],
  fields: readonly F[],
): FormFailure<F> {
  const fieldErrors: FieldErrors<F> = {};
  const leftovers: string[] = [];
  for (const issue of issues) {
    const path = typeof issue.path === 'string' ? issue.path : issue.path.map(String).join('.');
    const field = fields.find((name) => name === path);
    // Keep the first message per field: it is the one the user should fix first.
    if (field !== undefined) fieldErrors[field] ??= issue.message;
    else leftovers.push(issue.message);
  }
  return { fieldErrors, formError: leftovers.length > 0 ? leftovers.join(' ') : null };
}

/**
 * Turns whatever a submit threw into what the form shows. Field `details` (sent with
 * `validation.failed` and with codes such as `auth.username_taken`) go beside their fields;
 * `codeFields` names the field for a code that arrives without details, so the message still
 * appears where the fix is made. Everything else is shown above the form.
 */
export function failureFromError<F extends string>(
  error: unknown,
  fields: readonly F[],
  codeFields: Partial<Record<string, F>> = {},
): FormFailure<F> {
  if (!(error instanceof ApiError)) {
    console.error(error);
    return { fieldErrors: {}, formError: GENERIC_FAILURE };
  }
  if (error.details.length > 0) return failureFromIssues(error.details, fields);
  const field = codeFields[error.code];
  if (field !== undefined) {
    return { fieldErrors: { [field]: error.message } as FieldErrors<F>, formError: null };
  }
  return { fieldErrors: {}, formError: error.message || GENERIC_FAILURE };
}

/** The message to show for a failed call (an ApiError carries the server's plain words). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : 'Something went wrong. Please try again.';
}
