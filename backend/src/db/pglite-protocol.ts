/**
 * The messages between the process and the thread that runs the embedded database
 * (pglite-thread.ts, pglite-thread.worker.ts). Values cross by structured clone.
 */

/** Options of a statement that can cross threads: PGlite's, with parsers reduced to their types. */
export interface ThreadQueryOptions {
  rowMode?: 'array' | 'object';
  /** Types whose values stay as Postgres' text (Drizzle's pass-through parsers). */
  textTypes?: number[];
  paramTypes?: number[];
}

export type ThreadRequest =
  | { id: number; op: 'open'; dataDir: string; dump?: ArrayBuffer }
  | {
      id: number;
      op: 'query';
      sql: string;
      params: unknown[];
      options: ThreadQueryOptions;
      /** Inside that open transaction (the id of its `begin`), else on its own. */
      tx?: number;
    }
  | { id: number; op: 'exec'; sql: string; tx?: number }
  | { id: number; op: 'begin' }
  | { id: number; op: 'commit' | 'rollback'; tx: number }
  | { id: number; op: 'close' };

export type ThreadReply =
  { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SerializedError };

/** An error as plain data: Postgres' fields (code, constraint, detail…) survive the crossing. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  fields: Record<string, unknown>;
}

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    if (value === undefined || typeof value === 'function' || typeof value === 'object') continue;
    fields[key] = value;
  }
  return { name: error.name, message: error.message, stack: error.stack, fields };
}

/** The error again, on this side: same name, message and Postgres fields (`code` above all). */
export function deserializeError(serialized: SerializedError): Error {
  const error = new Error(serialized.message);
  Object.assign(error, serialized.fields);
  error.name = serialized.name;
  if (serialized.stack) error.stack = serialized.stack;
  return error;
}
