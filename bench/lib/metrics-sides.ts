import { rmSync } from 'node:fs';
import path from 'node:path';
import { benchBackendEnv } from './streaming.js';
import { createThrowawayDatabase } from './database.js';
import {
  startBackend,
  stop,
  type BackendProcess,
  type ClientWorker,
  type FakeProcess,
} from './processes.js';
import { METRICS_TOKEN } from './scraper.js';

/** A throwaway database the bench made, dropped by `stopMetricsSides`. */
export interface BenchDatabase {
  url: string;
  drop: () => Promise<void>;
}

/**
 * One backend of a metrics bench (metrics-full.ts, metrics-paired.ts): its own database on
 * PostgreSQL (or PGlite in `tempDir`), recording off, or on with `/metrics` on `metricsPort`.
 */
export async function startMetricsSide(options: {
  side: string;
  recording: boolean;
  metricsPort: number;
  fake: FakeProcess;
  tempDir: string;
  pgServerUrl: string | undefined;
  databases: BenchDatabase[];
}): Promise<BackendProcess> {
  const { side, tempDir, pgServerUrl } = options;
  const database = pgServerUrl ? await createThrowawayDatabase(pgServerUrl) : undefined;
  if (database) options.databases.push(database);
  const env = benchBackendEnv({
    fakeBaseUrl: options.fake.baseUrl,
    dataDir: path.join(tempDir, `data-${side}`),
    databaseUrl: database?.url,
  });
  const metrics: Record<string, string> = options.recording
    ? { METRICS_PORT: String(options.metricsPort), METRICS_TOKEN }
    : { METRICS_RECORDING: 'off' };
  return startBackend({ ...env, ...metrics }, path.join(tempDir, `backend-${side}.log`));
}

/** Stops everything a metrics bench started; BENCH_KEEP=1 keeps its folder (the backends' logs). */
export async function stopMetricsSides(rig: {
  workers: ClientWorker[];
  backends: Partial<Record<string, BackendProcess>>;
  fake: FakeProcess | undefined;
  databases: BenchDatabase[];
  tempDir: string | undefined;
}): Promise<void> {
  await Promise.all(rig.workers.map((worker) => stop(worker.child, 2_000)));
  await Promise.all(Object.values(rig.backends).map((backend) => stop(backend?.child, 12_000)));
  await stop(rig.fake?.child, 2_000);
  for (const database of rig.databases)
    await database.drop().catch((error: unknown) => console.error('could not drop', error));
  if (rig.tempDir && !process.env.BENCH_KEEP) rmSync(rig.tempDir, { recursive: true, force: true });
}
