import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { CLASSIFICATION_ANSWER } from './protocol.js';
import {
  startBackend,
  startWorker,
  stop,
  type BackendProcess,
  type ClientWorker,
  type FakeProcess,
} from './processes.js';
import { createThrowawayDatabase } from './database.js';
import { benchBackendEnv, registerUsers } from './streaming.js';

/**
 * One deployment for bench/replicas.ts: a single backend without Redis (today's one process),
 * or two replicas sharing one database and one Redis (`BACKEND_REPLICAS=2`), all built
 * (`backend/dist`) and in processes of their own, with two client-worker processes.
 */

export const TOKENS_PER_SECOND = 30;
export const CHUNK_DELAY_MS = Math.round(1000 / TOKENS_PER_SECOND);
export const CHUNKS = 90; // three seconds of answer per turn
export const TURN_TIMEOUT_MS = CHUNKS * CHUNK_DELAY_MS + 20_000;
const WORKERS = 2;

export interface Deployment {
  mode: 'single' | 'replicas';
  /** The replica the clients talk to (A); `others` only read the shared stream. */
  target: BackendProcess;
  others: BackendProcess[];
  workers: ClientWorker[];
  /** Registers `count` students; returns their access tokens. */
  register(count: number): Promise<string[]>;
  close(): Promise<void>;
}

export async function startDeployment(options: {
  mode: Deployment['mode'];
  fake: FakeProcess;
  pgServerUrl: string;
  redisUrl: string;
  tempDir: string;
  /** DATABASE_POOL_MAX for every backend; the product's default (10) when not given. */
  poolMax?: number | undefined;
}): Promise<Deployment> {
  const database = await createThrowawayDatabase(options.pgServerUrl);
  const replicas = options.mode === 'replicas' ? 2 : 1;
  const env = {
    ...benchBackendEnv({
      fakeBaseUrl: options.fake.baseUrl,
      dataDir: path.join(options.tempDir, 'data'),
      databaseUrl: database.url,
    }),
    ...(options.poolMax ? { DATABASE_POOL_MAX: String(options.poolMax) } : {}),
    ...(replicas > 1
      ? {
          REDIS_URL: options.redisUrl,
          REDIS_KEY_PREFIX: `hintbook-bench-${randomBytes(4).toString('hex')}`,
          BACKEND_REPLICAS: String(replicas),
        }
      : {}),
  };
  const backends: BackendProcess[] = [];
  const workers: ClientWorker[] = [];
  const close = async () => {
    await Promise.all(workers.map((worker) => stop(worker.child, 2_000)));
    await Promise.all(backends.map((backend) => stop(backend.child, 12_000)));
    await database.drop().catch((error: unknown) => console.error('could not drop', error));
  };
  try {
    // One after the other: the first migrates the fresh database.
    for (let index = 0; index < replicas; index += 1) {
      const log = path.join(options.tempDir, `${options.mode}-${index}.log`);
      backends.push(await startBackend(env, log));
    }
    for (let index = 0; index < WORKERS; index += 1) workers.push(startWorker());
    await Promise.all(
      workers.map((worker) =>
        worker.request(
          { type: 'calibrate', clockUrl: options.fake.controlUrl },
          'calibrated',
          30_000,
        ),
      ),
    );
  } catch (error) {
    await close();
    throw error;
  }
  const [target, ...others] = backends as [BackendProcess, ...BackendProcess[]];
  return {
    mode: options.mode,
    target,
    others,
    workers,
    register: (count) => registerUsers(target.url, count),
    close,
  };
}

/** Every answer: 90 stamped chunks, 33 ms apart (30 tokens a second); classification valid. */
export async function scriptFake(fake: FakeProcess): Promise<void> {
  const response = await fetch(`${fake.url}/__fake/default`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      chunks: Array.from({ length: CHUNKS }, () => 'x'),
      chunkDelayMs: CHUNK_DELAY_MS,
      structured: CLASSIFICATION_ANSWER,
    }),
  });
  if (!response.ok) throw new Error(`could not script the fake: ${response.status}`);
}
