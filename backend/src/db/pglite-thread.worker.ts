import { parentPort } from 'node:worker_threads';
import type { PGlite, QueryOptions, Transaction } from '@electric-sql/pglite';
import { createPgliteClient } from './pglite-engine.js';
import {
  serializeError,
  type ThreadQueryOptions,
  type ThreadReply,
  type ThreadRequest,
} from './pglite-protocol.js';

/**
 * The embedded database's own thread: PGlite runs here, so its statements (WebAssembly
 * Postgres, and the file system calls under it) no longer stop the event loop that streams
 * every student's answer. Requests arrive from pglite-thread.ts; each gets one reply.
 */

const port = parentPort!;
let engine: PGlite | undefined;

/** An open transaction: its statements wait here until the transaction's callback takes them. */
interface OpenTransaction {
  waiting: Array<Extract<ThreadRequest, { op: 'query' | 'exec' | 'commit' | 'rollback' }>>;
  wake?: () => void;
}
const transactions = new Map<number, OpenTransaction>();

/** Thrown inside PGlite's transaction callback to have it roll back (and caught just after). */
const ROLL_BACK = Symbol('roll back');

const reply = (message: ThreadReply) => port.postMessage(message);
const succeed = (id: number, value: unknown) => reply({ id, ok: true, value });
const fail = (id: number, error: unknown) => reply({ id, ok: false, error: serializeError(error) });

function queryOptions(options: ThreadQueryOptions): QueryOptions {
  const keepText = (value: string) => value;
  return {
    ...(options.rowMode ? { rowMode: options.rowMode } : {}),
    ...(options.paramTypes ? { paramTypes: options.paramTypes } : {}),
    ...(options.textTypes
      ? { parsers: Object.fromEntries(options.textTypes.map((type) => [type, keepText])) }
      : {}),
  };
}

/** Runs a statement on the engine or an open transaction; the reply is plain data. */
async function run(
  target: PGlite | Transaction,
  request: Extract<ThreadRequest, { op: 'query' | 'exec' }>,
): Promise<unknown> {
  if (request.op === 'exec') return target.exec(request.sql);
  const result = await target.query(request.sql, request.params, queryOptions(request.options));
  // Only what callers read: `blob` (COPY) and anything else stay behind.
  return { rows: result.rows, fields: result.fields, affectedRows: result.affectedRows };
}

function begin(id: number): void {
  const open: OpenTransaction = { waiting: [] };
  transactions.set(id, open);
  const next = async () => {
    while (open.waiting.length === 0) await new Promise<void>((wake) => (open.wake = wake));
    return open.waiting.shift()!;
  };
  let ending: number | undefined;
  // PGlite's own transaction, the one under Drizzle's (withTransaction) on the other side.
  // eslint-disable-next-line no-restricted-syntax
  engine!
    .transaction(async (tx) => {
      succeed(id, null);
      for (;;) {
        const request = await next();
        if (request.op === 'commit' || request.op === 'rollback') {
          ending = request.id;
          if (request.op === 'rollback') throw ROLL_BACK;
          return;
        }
        await run(tx, request as Extract<ThreadRequest, { op: 'query' | 'exec' }>).then(
          (value) => succeed(request.id, value),
          (error: unknown) => fail(request.id, error),
        );
      }
    })
    .then(
      () => succeed(ending!, null),
      (error: unknown) => {
        // A rollback asked for is a success; anything else fails the commit (or the begin).
        if (error === ROLL_BACK) succeed(ending!, null);
        else fail(ending ?? id, error);
      },
    )
    .finally(() => transactions.delete(id));
}

async function handle(request: ThreadRequest): Promise<void> {
  switch (request.op) {
    case 'open':
      engine = createPgliteClient(
        request.dataDir,
        request.dump ? new Blob([request.dump]) : undefined,
      );
      await engine.waitReady;
      return succeed(request.id, null);
    case 'begin':
      return begin(request.id);
    case 'query':
    case 'exec':
    case 'commit':
    case 'rollback': {
      const txId = request.tx;
      if (txId === undefined) return succeed(request.id, await run(engine!, request as never));
      const open = transactions.get(txId);
      if (!open) throw new Error(`transaction ${txId} is not open`);
      open.waiting.push(request as OpenTransaction['waiting'][number]);
      open.wake?.();
      return;
    }
    case 'close':
      await engine?.close();
      return succeed(request.id, null);
  }
}

port.on('message', (request: ThreadRequest) => {
  handle(request).catch((error: unknown) => fail(request.id, error));
});
