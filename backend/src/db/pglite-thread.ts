import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { QueryOptions, Results } from '@electric-sql/pglite';
import type { Logger } from 'pino';
import {
  deserializeError,
  type ThreadQueryOptions,
  type ThreadReply,
  type ThreadRequest,
} from './pglite-protocol.js';

/** Any request, before it is given its id. */
type Request = ThreadRequest extends infer R
  ? R extends { id: number }
    ? Omit<R, 'id'>
    : never
  : never;

/** What Drizzle's PGlite driver (and Hintbook) asks of a transaction. */
export interface PgliteThreadTransaction {
  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>>;
  exec(sql: string): Promise<Results[]>;
}

/**
 * The embedded database on a thread of its own, with the part of PGlite's interface that
 * Drizzle's driver uses: `query`, `exec`, `transaction`, `close`. On the event loop, PGlite ran
 * every statement to the end (WebAssembly Postgres and its file system calls) before a single
 * delta of anyone's answer could go out: about half the busy time of a loaded process went to
 * it. Here a statement costs the loop two messages, and the database works beside it, on the
 * second core. Statements still run one at a time, as on PGlite's one connection.
 */
export class PgliteThread {
  private worker!: Worker;
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  private nextId = 1;
  /** Why the database is gone for good, once it is: every later call fails with it. */
  private stopped: Error | undefined;
  private closing = false;
  /** When the thread was restarted lately (a crash loop stops restarting). */
  private restarts: number[] = [];
  private ready!: Promise<void>;

  /**
   * `dataDir` as for PGlite (`memory://…` keeps nothing on disk); `loadDataDir` a dump to start
   * from. A thread that dies (PGlite's WebAssembly aborting, say) is started again on the same
   * folder, as a database server restarts: statements in flight fail as a lost connection
   * would (code 08006), later ones run on the new thread.
   */
  constructor(
    private readonly dataDir: string,
    loadDataDir?: Blob,
    private readonly logger?: Pick<Logger, 'warn' | 'error'>,
  ) {
    this.start(loadDataDir);
  }

  /** Resolves once PGlite is up on the thread (initdb or the data directory loaded). */
  get waitReady(): Promise<void> {
    return this.ready;
  }

  async query<T>(sql: string, params: unknown[] = [], options?: QueryOptions): Promise<Results<T>> {
    await this.waitReady;
    return (await this.call({
      op: 'query',
      sql,
      params,
      options: threadOptions(options),
    })) as Results<T>;
  }

  async exec(sql: string): Promise<Results[]> {
    await this.waitReady;
    return (await this.call({ op: 'exec', sql })) as Results[];
  }

  /**
   * Runs `work` in a transaction: committed when it resolves, rolled back when it throws (its
   * error is rethrown). Statements outside it wait until it ends, as on PGlite itself.
   */
  async transaction<T>(work: (tx: PgliteThreadTransaction) => Promise<T>): Promise<T> {
    await this.waitReady;
    const beginId = this.nextId;
    await this.call({ op: 'begin' });
    const tx: PgliteThreadTransaction = {
      query: async <R>(sql: string, params: unknown[] = [], options?: QueryOptions) =>
        (await this.call({
          op: 'query',
          sql,
          params,
          options: threadOptions(options),
          tx: beginId,
        })) as Results<R>,
      exec: async (sql: string) => (await this.call({ op: 'exec', sql, tx: beginId })) as Results[],
    };
    let result: T;
    try {
      result = await work(tx);
    } catch (error) {
      await this.call({ op: 'rollback', tx: beginId }).catch(() => undefined);
      throw error;
    }
    await this.call({ op: 'commit', tx: beginId });
    return result;
  }

  async close(): Promise<void> {
    if (this.stopped || this.closing) return;
    this.closing = true;
    await this.waitReady.catch(() => undefined);
    await this.call({ op: 'close' }).catch(() => undefined);
    this.stopped = new Error('the embedded database is closed');
    await this.worker.terminate();
  }

  private call(request: Request, transfer: ArrayBuffer[] = []): Promise<unknown> {
    if (this.stopped) return Promise.reject(this.stopped);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id }, transfer);
    });
  }

  private settle(message: ThreadReply): void {
    const waiter = this.pending.get(message.id);
    if (!waiter) return;
    this.pending.delete(message.id);
    if (this.pending.size === 0) this.worker.unref();
    if (message.ok) waiter.resolve(message.value);
    else waiter.reject(deserializeError(message.error));
  }

  private start(loadDataDir?: Blob): void {
    const worker = startWorker();
    this.worker = worker;
    // Referenced only while a reply is awaited: an idle database never keeps a process alive,
    // and a script awaiting a statement is not cut short either.
    worker.unref();
    worker.on('message', (message: ThreadReply) => this.settle(message));
    worker.on('error', (error) => this.lost(worker, error));
    worker.on('exit', (code) => this.lost(worker, new Error(`exit code ${code}`)));
    this.ready = (async () => {
      const dump = loadDataDir ? await loadDataDir.arrayBuffer() : undefined;
      await this.call(
        { op: 'open', dataDir: this.dataDir, ...(dump ? { dump } : {}) },
        dump ? [dump] : [],
      );
    })();
    // A database that cannot open fails each statement with PGlite's reason (awaited there),
    // not the process with an unhandled rejection before the first statement.
    this.ready.catch(() => undefined);
  }

  /** The thread died (an uncaught error, then its exit: the first of the two counts). */
  private lost(worker: Worker, reason: Error): void {
    if (worker !== this.worker || this.closing || this.stopped) return;
    const error = Object.assign(
      new Error(`the embedded database stopped (${reason.message})`, { cause: reason }),
      // connection_failure, as a server that went away: callers retry or say "try again".
      { code: '08006' },
    );
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
    const now = Date.now();
    this.restarts = this.restarts.filter((at) => now - at < RESTART_WINDOW_MS);
    // In memory there is nothing to start again from; a crash loop is not helped by more.
    if (this.dataDir.startsWith('memory://') || this.restarts.length >= MAX_RESTARTS) {
      this.stopped = error;
      this.logger?.error({ err: reason }, 'embedded database stopped; not restarting it');
      return;
    }
    this.restarts.push(now);
    this.logger?.warn({ err: reason }, 'embedded database stopped; starting it again');
    worker.removeAllListeners();
    void worker.terminate();
    this.start();
  }
}

/** At most this many restarts of the thread within RESTART_WINDOW_MS, then it stays stopped. */
const MAX_RESTARTS = 3;
const RESTART_WINDOW_MS = 60_000;

/**
 * The worker's own file beside this one: `.js` in the build. When the backend runs from source
 * (tests, `npm run dev`) it is `.ts`, and a thread does not inherit the process's TypeScript
 * loader (nor honour `--import tsx` in its execArgv), so it loads the file through tsx's API.
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./pglite-thread.worker.js', import.meta.url));
  }
  const tsxRoot = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsxApi = pathToFileURL(path.join(tsxRoot, 'dist/esm/api/index.mjs')).href;
  const file = new URL('./pglite-thread.worker.ts', import.meta.url).href;
  const load = `import(${JSON.stringify(tsxApi)}).then((tsx) => tsx.tsImport(${JSON.stringify(file)}, ${JSON.stringify(file)}))`;
  return new Worker(load, { eval: true });
}

/**
 * PGlite's query options as plain data. Parsers are functions and cannot cross; the only ones
 * Drizzle passes keep a type's text as it is (timestamps, dates, intervals, some arrays), so
 * that is what the thread does for each type given. Any other parser is refused, not ignored.
 */
function threadOptions(options: QueryOptions | undefined): ThreadQueryOptions {
  if (!options) return {};
  const { rowMode, parsers, paramTypes, serializers, blob, onNotice } = options;
  if (serializers || blob || onNotice)
    throw new Error('serializers, blob and onNotice do not cross to the database thread');
  const textTypes = parsers ? Object.keys(parsers).map(Number) : undefined;
  for (const type of textTypes ?? []) {
    if (!keepsText(parsers![type]!)) {
      throw new Error(
        `the parser for type ${type} changes values; only pass-through parsers cross`,
      );
    }
  }
  return {
    ...(rowMode ? { rowMode } : {}),
    ...(paramTypes ? { paramTypes } : {}),
    ...(textTypes ? { textTypes } : {}),
  };
}

const passThrough = new WeakSet<(value: string) => unknown>();
function keepsText(parser: (value: string) => unknown): boolean {
  if (passThrough.has(parser)) return true;
  const sample = '2026-01-01 00:00:00+00';
  if (parser(sample) !== sample) return false;
  passThrough.add(parser);
  return true;
}
