/**
 * Several Hintbook replicas as real processes on loopback, the way production runs them: the
 * built backend (`node backend/dist/main.js`) twice, each on its own address (127.0.0.2,
 * 127.0.0.3, …, one port), sharing a PostgreSQL cluster and a redis-server of the test's own
 * (both restartable), the tutor on the real OpenAI SDK against the project's fake OpenAI server
 * with a model's timing, and nginx with the repository's configuration in front. nginx finds the
 * replicas as it does under Docker: one name (`backends.hintbook.test`) that a DNS server
 * (here e2e/support/fake-dns.ts) resolves to every replica; a refused connection goes to the next.
 *
 * Each replica gets its own OPENAI_API_KEY, so the fake's recorded calls tell which replica ran
 * a turn (`ownerOf`). Everything is stopped by `stop()`, and killed if the test process exits.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  startFakeOpenAI,
  type FakeServer,
  type FakeTiming,
} from '../../backend/src/test/fake-providers/index.js';
import { startFakeDns, type FakeDns } from './fake-dns.js';
import { request } from './http.js';
import { freePort, startNginx, type RunningNginx } from './nginx.js';
import { startOwnPostgres, type OwnPostgres } from './own-postgres.js';
import { startOwnRedis, type OwnRedis } from './own-redis.js';
import { assertBuildIsFresh, startBackend, waitForHealth, type BackendProcess } from './stack.js';

export interface Replica {
  /** `a`, `b`, then `c`, `d`… for replacements. */
  name: string;
  host: string;
  /** http://<host>:<port>, the replica directly (bypassing nginx). */
  url: string;
  process: BackendProcess;
}

export interface ReplicaCluster {
  /** nginx: what the student's browser talks to. */
  baseUrl: string;
  postgres: OwnPostgres;
  redis: OwnRedis;
  fake: FakeServer;
  nginx: RunningNginx;
  /** The replicas nginx sends traffic to now (a killed one stays listed until restarted). */
  replicas(): Replica[];
  /** Runs SQL on the application's database. */
  sql(statement: string): Promise<string>;
  /** The replica whose provider call carried `marker` (an answer call, streamed). */
  ownerOf(marker: string): Replica | undefined;
  /** Starts a replica again at a killed one's address (a container restarted). */
  restart(replica: Replica): Promise<Replica>;
  /**
   * One step of a rolling upgrade (scripts/upgrade.sh): a new replica on a new address turns
   * healthy, DNS names it instead of the old one, nginx reloads, the old one drains (SIGTERM)
   * and exits. Resolves with the new replica once the old one is gone.
   */
  replace(replica: Replica): Promise<Replica>;
  /** `GET /api/health` on one replica directly: its status code, or 0 when nothing answers. */
  health(replica: Replica): Promise<number>;
  logs(): string;
  stop(): Promise<void>;
}

export interface StartClusterOptions {
  replicas?: number;
  /** The fake's pace for every call; default a model streaming 30 tokens a second. */
  timing?: FakeTiming;
  /** Words in every answer (one chunk each); default 150 (about 5 s at 30 tokens/s). */
  answerWords?: number;
  env?: Record<string, string>;
}

const UPSTREAM_NAME = 'backends.hintbook.test';
const THIRTY_TOKENS_A_SECOND: FakeTiming = { firstTokenMs: 400, perTokenMs: 33 };

export async function startReplicaCluster(
  options: StartClusterOptions = {},
): Promise<ReplicaCluster> {
  await assertBuildIsFresh();
  const cleanups: Array<() => Promise<void>> = [];
  const runCleanups = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((error: unknown) => console.error('cluster cleanup failed:', error));
    }
  };
  const live = new Map<string, Replica>();
  const gone: Replica[] = [];
  let nginx: RunningNginx | undefined;
  const logs = () =>
    [
      ...[...gone, ...live.values()].map(
        (replica) =>
          `--- replica ${replica.name} (${replica.host}) ---\n${replica.process.output() || '(nothing)'}`,
      ),
      '--- nginx error log ---',
      nginx?.errorLog() || '(nothing)',
    ].join('\n');

  try {
    const postgres = await startOwnPostgres();
    cleanups.push(postgres.destroy);
    const database = 'hintbook';
    await postgres.psql('postgres', `create database ${database}`);
    const redis = await startOwnRedis();
    cleanups.push(redis.stop);
    const fake = await startFakeOpenAI({ timing: options.timing ?? THIRTY_TOKENS_A_SECOND });
    cleanups.push(fake.close);
    const words = options.answerWords ?? 150;
    fake.setDefault({
      chunks: Array.from({ length: words }, (_, index) => `${index === 0 ? '' : ' '}w${index}`),
    });
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'hintbook-chaos-data-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));

    const port = await freePort();
    const count = options.replicas ?? 2;
    const sharedEnv: Record<string, string> = {
      DATABASE_URL: postgres.databaseUrl(database),
      DATA_DIR: dataDir,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: `hintbook-chaos-${randomBytes(3).toString('hex')}`,
      BACKEND_REPLICAS: String(count),
      // Every replica signs and checks the same tokens, as they share one secret in production.
      JWT_SECRET_KEY: randomBytes(48).toString('base64url'),
      LLM_PROVIDER: 'openai',
      OPENAI_BASE_URL: fake.baseUrl,
      CHAT_TURNS_PER_MINUTE: '1000',
      CHAT_DAILY_TOKENS: '0',
      CHAT_WEEKLY_TOKENS: '0',
      MONTHLY_BUDGET_USD: '0',
      SOCKET_MAX_CONNECTIONS_PER_USER: '20',
      DRAIN_TIMEOUT: '20s',
      ...options.env,
    };
    let hostNumber = 2;
    const launch = async (name: string, host = `127.0.0.${hostNumber++}`) => {
      const backend = startBackend(port, { ...sharedEnv, HOST: host, OPENAI_API_KEY: name });
      const replica: Replica = { name, host, url: `http://${host}:${port}`, process: backend };
      cleanups.push(() => replica.process.stop());
      live.set(name, replica);
      await waitForHealth(`${replica.url}/api/health`, backend);
      return replica;
    };
    // One after the other: the first one migrates the fresh database.
    for (let index = 0; index < count; index += 1) await launch(String.fromCharCode(97 + index));
    let nextName = 97 + count;

    const dns: FakeDns = await startFakeDns(
      UPSTREAM_NAME,
      [...live.values()].map((replica) => replica.host),
    );
    cleanups.push(dns.close);
    nginx = await startNginx({
      mode: 'test',
      upstreamPort: port,
      env: { NGINX_BACKEND_UPSTREAM: `${UPSTREAM_NAME}:${port}`, NGINX_RESOLVER: dns.address },
    });
    const runningNginx = nginx;
    cleanups.push(runningNginx.stop);
    const health = async (replica: Replica) =>
      request(`${replica.url}/api/health`).then(
        (response) => response.status,
        () => 0,
      );

    return {
      baseUrl: nginx.url,
      postgres,
      redis,
      fake,
      nginx,
      replicas: () => [...live.values()],
      sql: (statement) => postgres.psql(database, statement),
      ownerOf(marker) {
        const call = fake.calls.find(
          (recorded) =>
            (recorded.body as { stream?: boolean } | undefined)?.stream === true &&
            JSON.stringify(recorded.body).includes(marker),
        );
        const key = /^Bearer (.+)$/.exec(String(call?.headers.authorization ?? ''))?.[1];
        return key ? live.get(key) : undefined;
      },
      async restart(replica) {
        live.delete(replica.name);
        gone.push(replica);
        return launch(replica.name, replica.host);
      },
      async replace(replica) {
        const next = await launch(String.fromCharCode(nextName++));
        live.delete(replica.name);
        gone.push(replica);
        dns.setAddresses([...live.values()].map((each) => each.host));
        await runningNginx.reload();
        await replica.process.stop(30_000);
        return next;
      },
      health,
      logs,
      stop: runCleanups,
    };
  } catch (error) {
    console.error(`The replica cluster did not start.\n${logs()}`);
    await runCleanups();
    throw error;
  }
}
