/** True when `error` is Postgres' unique_violation (23505), optionally on a given constraint. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const pgError = findPgError(error);
  if (pgError?.code !== '23505') return false;
  return (
    !constraint ||
    pgError.constraint === constraint ||
    Boolean(pgError.message?.includes(constraint))
  );
}

interface PgErrorLike {
  code?: string;
  constraint?: string;
  message?: string;
  cause?: unknown;
}

// Drizzle wraps driver errors in its own error with the original as `cause`.
function findPgError(error: unknown): PgErrorLike | undefined {
  let current = error as PgErrorLike | undefined;
  for (let depth = 0; current && depth < 5; depth += 1) {
    if (typeof current.code === 'string') return current;
    current = current.cause as PgErrorLike | undefined;
  }
  return undefined;
}

const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01', // admin_shutdown: the server is restarting
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or in recovery
]);

/** True when the database could not be reached (restart, network), as opposed to a bad query. */
export function isConnectionError(error: unknown): boolean {
  const pgError = findPgError(error);
  if (
    pgError?.code &&
    (CONNECTION_ERROR_CODES.has(pgError.code) || pgError.code.startsWith('08'))
  ) {
    return true;
  }
  // pg's own errors carry no code; Drizzle wraps them, so the driver's message is a `cause`.
  return messagesOf(error).some((message) =>
    /Connection terminated|timeout exceeded when trying to connect/i.test(message),
  );
}

/** `error`'s message and its causes' (a few levels: Drizzle wraps the driver's error once). */
function messagesOf(error: unknown): string[] {
  const found: string[] = [];
  let current = error as PgErrorLike | undefined;
  for (let depth = 0; current && depth < 5; depth += 1) {
    if (typeof current.message === 'string') found.push(current.message);
    current = current.cause as PgErrorLike | undefined;
  }
  return found;
}

const TRANSIENT_ERROR_CODES = new Set([
  '53300', // too_many_connections
  '40001', // serialization_failure
  '40P01', // deadlock_detected
]);

/**
 * True when trying the same statement again may succeed: the database was unreachable or its
 * pool had no connection for us in time (an overloaded process), or the server asked for a retry.
 * A bad query or a broken constraint is not transient.
 */
export function isTransientDbError(error: unknown): boolean {
  if (isConnectionError(error)) return true;
  const code = findPgError(error)?.code;
  return code !== undefined && TRANSIENT_ERROR_CODES.has(code);
}
