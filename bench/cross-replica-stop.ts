import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createMockProvider } from '../backend/src/ai/providers/mock.js';
import { closeRedis, connectRedis, type SharedRedis } from '../backend/src/cluster/redis.js';
import { registerThroughApi } from '../backend/src/test/factories.js';
import { createTestApp, type TestApp } from '../backend/src/test/harness.js';
import { connectClient } from '../backend/src/test/socket-client.js';
import { printTable } from './lib/report.js';
import { round, summarizeValues } from './lib/stats.js';

/**
 * A stop sent to replica B for a turn streaming on replica A (30 tokens a second), through a
 * real Redis: how long from B's `chat:stop` until A has sent its last delta, and until B's
 * socket holds the terminal event. Both replicas run in this process on one database, like
 * the integration tests (backend/src/cluster/replicas.int.test.ts).
 *   node --conditions=@hintbook/source --import tsx bench/cross-replica-stop.ts [--turns=N]
 * Needs Redis: BENCH_REDIS_URL or TEST_REDIS_URL (default redis://127.0.0.1:6379).
 */
const turns = Number(process.argv.find((arg) => arg.startsWith('--turns='))?.slice(8) ?? 60);
const redisUrl =
  process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const hardStop = setTimeout(() => {
  console.error('bench: gave up after 5 minutes');
  process.exit(2);
}, 300_000);
hardStop.unref();

const quiet = { warn: () => {}, info: () => {} } as never;
const keyPrefix = `hintbook-bench-${randomBytes(4).toString('hex')}`;
const provider = createMockProvider({ name: 'anthropic' });
const env = {
  LLM_PROVIDER: 'anthropic',
  CHAT_TURNS_PER_MINUTE: '100000',
  CHAT_DAILY_TOKENS: '0',
  CHAT_WEEKLY_TOKENS: '0',
  MONTHLY_BUDGET_USD: '0',
  REDIS_URL: redisUrl,
  REDIS_KEY_PREFIX: keyPrefix,
};
const ai = { factories: { anthropic: () => provider }, sleep: async () => {} };
const redises: SharedRedis[] = [];
const replica = async (shared?: { database: TestApp['database'] }) => {
  const redis = { client: await connectRedis(redisUrl, quiet), keyPrefix };
  redises.push(redis);
  return createTestApp(env, shared, { ai, redis });
};
const a = await replica();
const b = await replica({ database: a.database });
const [urlA, urlB] = [await a.listen(), await b.listen()];
const student = await registerThroughApi(a.app);
const onA = await connectClient(urlA, student.accessToken);
const onB = await connectClient(urlB, student.accessToken);

// The time A emits each delta, by turn: the last one before the stop took effect.
const lastDeltaAt = new Map<string, number>();
const emitter = a.hintbook.turns.emitter;
const toUser = emitter.toUser.bind(emitter);
emitter.toUser = ((userId: string, event: string, ...args: unknown[]) => {
  if (event === 'chat:delta') {
    const delta = args[0] as { turnId: string };
    lastDeltaAt.set(delta.turnId, performance.now());
  }
  (toUser as (...all: unknown[]) => void)(userId, event, ...args);
}) as typeof emitter.toUser;

const toLastDelta: number[] = [];
const toTerminal: number[] = [];
const words = Array.from({ length: 400 }, (_, index) => `word${index}`).join(' ');
for (let turn = 0; turn < turns; turn += 1) {
  provider.enqueue(
    {
      structured: {
        isNewProblem: true,
        isElaborationRequest: false,
        difficulty: { programming: 2, maths: 1 },
        problemSummary: 'x',
      },
    },
    { text: words, tokenDelayMs: 33 },
  );
  const ack = (await onA.socket.timeout(5_000).emitWithAck('chat:send', {
    clientMessageId: randomUUID(),
    content: 'How do I reverse a list?',
  } as never)) as { turnId: string; sessionId: string };
  await onB.waitFor(
    (e) => e.name === 'chat:delta' && e.payload.turnId === ack.turnId && Number(e.payload.seq) >= 5,
  );
  const stopAt = performance.now();
  onB.socket.emit('chat:stop', { sessionId: ack.sessionId, turnId: ack.turnId }, () => {});
  await onB.terminalOf(ack.turnId);
  toTerminal.push(performance.now() - stopAt);
  toLastDelta.push(Math.max(0, (lastDeltaAt.get(ack.turnId) ?? stopAt) - stopAt));
}

const last = summarizeValues(toLastDelta);
const terminal = summarizeValues(toTerminal);
console.log(
  `\ncross-replica stop, ${turns} turns at 30 tok/s, Redis ${redisUrl.replace(/\/\/.*@/, '//')}`,
);
printTable([
  {
    metric: 'stop via B -> last delta sent by A, p99',
    measured: `${round(last.p99)} ms (p50 ${round(last.p50)})`,
    target: '<= 50 ms',
    pass: last.p99 <= 50,
  },
  {
    metric: 'stop via B -> terminal event on B, p99',
    measured: `${round(terminal.p99)} ms (p50 ${round(terminal.p50)})`,
    target: '',
  },
]);
onA.close();
onB.close();
await b.close();
await a.close();
for (const redis of redises) await closeRedis(redis.client);
process.exit(0);
