/** The longest error text one log line carries: enough to recognise it, never a whole body. */
export const MAX_DETAIL_CHARS = 200;

/** `text` cut to MAX_DETAIL_CHARS, marked with `…` when cut. */
export function boundedDetail(text: string): string {
  return text.length > MAX_DETAIL_CHARS ? `${text.slice(0, MAX_DETAIL_CHARS)}…` : text;
}

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  stack?: unknown;
  query?: unknown;
  cause?: unknown;
}

/**
 * An error nobody expected, for one log line: its kind, a bounded message and where it was
 * thrown. Never the error object itself: a failed query's message carries the query's parameters
 * (a student's question, a password hash), so for those the driver's own message is kept instead.
 */
export function describeUnexpectedError(error: unknown): {
  errorName: string;
  code?: string;
  detail: string;
  at?: string;
} {
  if (!(error instanceof Error))
    return { errorName: typeof error, detail: boundedDetail(String(error)) };
  const thrown = error as ErrorLike;
  // Drizzle wraps the driver's error as `cause` and puts the query and its params in `message`.
  const source =
    typeof thrown.query === 'string' && thrown.cause instanceof Error
      ? (thrown.cause as ErrorLike)
      : thrown;
  const at =
    typeof error.stack === 'string'
      ? error.stack
          .split('\n')
          .find((line) => line.trimStart().startsWith('at '))
          ?.trim()
      : undefined;
  return {
    // Some libraries' errors (Drizzle's among them) leave `name` at "Error"; the class says more.
    errorName: error.name === 'Error' ? error.constructor.name : error.name,
    ...(typeof source.code === 'string' ? { code: source.code } : {}),
    detail: boundedDetail(String(source.message ?? '')),
    ...(at ? { at: boundedDetail(at) } : {}),
  };
}
