import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import OpenAI from 'openai';
import { createThrowawayDatabase, DEFAULT_SERVER_URL } from './lib/database.js';
import {
  checkBuild,
  repoRoot,
  startBackend,
  startFake,
  startWorker,
  stop,
  type BackendProcess,
  type ClientWorker,
  type FakeProcess,
  type ProbeSnapshot,
} from './lib/processes.js';
import { CLASSIFICATION_ANSWER } from './lib/protocol.js';
import { printTable, type Row } from './lib/report.js';
import {
  analyseDirectShare,
  analyseSideBySide,
  type FakeRequest,
  type FakeTurnTimings,
} from './lib/side-analysis.js';
import { round, summarizeValues } from './lib/stats.js';
import { measureStoppedUsage } from './lib/stopped-usage.js';
import type { BenchWorkspace, RunResult, TurnRecord } from './lib/worker-messages.js';

/**
 * Side by side with a provider that behaves like a real one: the fake OpenAI server gives every
 * call 400 ms to the first token and 15 ms per token (a structured call answers once its whole
 * generation is done). 100 students each hold a conversation of at least 10 questions (history
 * budget small enough that summaries happen); the same fake asked directly is the baseline.
 *   node --import tsx bench/side-by-side.ts [--quick] [--pg[=URL]]
 * See bench/README.md ("Side by side").
 */

const quick = process.argv.includes('--quick');
const pgArgument = process.argv.find((arg) => arg === '--pg' || arg.startsWith('--pg='));
const pgServerUrl = pgArgument ? pgArgument.slice(5) || DEFAULT_SERVER_URL : undefined;
const streamsArgument = process.argv.find((arg) => arg.startsWith('--streams='));
const noLimits = process.argv.includes('--no-limits');
// Pause between an answer and the next question (ms, ±50 %); 0 asks again at once.
const thinkArgument = process.argv.find((arg) => arg.startsWith('--think='));
const THINK_MS = thinkArgument ? Number(thinkArgument.slice(8)) : 0;
// Course retrieval off (RETRIEVAL_TOKEN_BUDGET=0): what retrieval adds before the answer call.
const noRetrieval = process.argv.includes('--no-retrieval');
// Questions each student asks (in a conversation of its own) before the timed ones, as the
// provider asked directly gets a warm-up round: a backend just started runs its first turns
// cold (JIT, connections). Their figures are printed in their own row; 0 skips them.
const warmupArgument = process.argv.find((arg) => arg.startsWith('--warmup='));
const WARMUP_TURNS = warmupArgument ? Number(warmupArgument.slice(9)) : 2;
// --workspace: every student asks from their copy of the starter module's first notebook, with
// the active cell and an error, as the split workspace sends them (a module-scoped course search,
// the module's policy and the exercise at the cell are read); default: general chats.
const WORKSPACE = process.argv.includes('--workspace');
// --pool=N: the backend's DATABASE_POOL_MAX (default the product's 10).
const poolArgument = process.argv.find((arg) => arg.startsWith('--pool='));
const POOL_MAX = poolArgument ? Number(poolArgument.slice(7)) : undefined;
const STREAMS = streamsArgument ? Number(streamsArgument.slice(10)) : 100;
const TURNS = quick ? 10 : 12;
const CHUNKS = quick ? 40 : 90;
const WORKERS = 2;
// Each client process asks the provider directly about this often while the turns run.
const DIRECT_EVERY_MS = 250;
const TARGETS = { ratio: 1.05, addedP50Ms: 10, addedP99Ms: 30, roundTrips: 0 };

const startedAt = performance.now();
const log = (message: string) =>
  console.log(`[${((performance.now() - startedAt) / 1000).toFixed(1)}s] ${message}`);

let fake: FakeProcess | undefined;
let backend: BackendProcess | undefined;
const workers: ClientWorker[] = [];
let tempDir: string | undefined;
let database: { url: string; drop: () => Promise<void> } | undefined;

async function cleanup() {
  await Promise.all(workers.map((worker) => stop(worker.child, 2_000)));
  await stop(backend?.child, 12_000);
  await stop(fake?.child, 2_000);
  await database?.drop().catch((error: unknown) => console.error('could not drop', error));
  if (tempDir && !process.env.BENCH_KEEP) rmSync(tempDir, { recursive: true, force: true });
}

/** The provider asked directly, `STREAMS` at once: request sent → first content chunk. */
async function askDirectly(rounds: number): Promise<number[]> {
  const client = new OpenAI({ apiKey: 'sk-bench', baseURL: fake!.baseUrl, maxRetries: 0 });
  const samples: number[] = [];
  for (let r = 0; r < rounds; r += 1) {
    await Promise.all(
      Array.from({ length: STREAMS }, async () => {
        const sent = performance.now();
        const stream = await client.chat.completions.create({
          model: 'gpt-5-mini',
          messages: [{ role: 'user', content: 'Why does my loop print 0 instead of the total?' }],
          stream: true,
          stream_options: { include_usage: true },
        });
        let first: number | undefined;
        for await (const chunk of stream) {
          if (first === undefined && chunk.choices[0]?.delta?.content)
            first = performance.now() - sent;
        }
        if (first !== undefined) samples.push(first);
      }),
    );
  }
  return samples;
}

/**
 * Every student asks `turns` questions in a conversation of its own, each after the previous
 * answer and a pause, starts spread over one pause; `direct` also asks the provider directly
 * from the same client processes meanwhile.
 */
async function converse(
  turns: number,
  answerMs: number,
  direct?: { baseUrl: string; everyMs: number },
) {
  return (await Promise.all(
    workers.map((worker) =>
      worker.request(
        {
          type: 'conversation',
          clients: STREAMS / WORKERS,
          turns,
          thinkMs: THINK_MS,
          staggerMs: Math.max(answerMs, THINK_MS),
          chunks: CHUNKS,
          turnTimeoutMs: answerMs + 30_000,
          ...(direct ? { direct } : {}),
        },
        'ran',
        turns * (answerMs + 1.5 * THINK_MS + 30_000) + 60_000,
      ),
    ),
  )) as RunResult[];
}

/**
 * Every student asks `WARMUP_TURNS` questions in a conversation of its own, paced as the timed
 * turns are; then the fake's timings and request log are cleared, so the timed turns start from
 * nothing. Returns the warm-up turns' own figures.
 */
async function warmUp(answerMs: number) {
  const ran = await converse(WARMUP_TURNS, answerMs);
  // Their summaries run after the last answers: let them end before the timed turns start.
  await new Promise((resolve) => setTimeout(resolve, answerMs + 1_000));
  const timings = (await (await fetch(`${fake!.controlUrl}/timings`)).json()) as Record<
    string,
    FakeTurnTimings
  >;
  const requests = (await (await fetch(`${fake!.controlUrl}/requests`)).json()) as FakeRequest[];
  const side = analyseSideBySide(
    ran.flatMap((result) => result.turns),
    timings,
    requests,
  );
  log(`warm-up: ${side.clean}/${side.turns} turns clean`);
  return { turns: side.turns, added: side.added, beforeAnswerCall: side.beforeAnswerCall };
}

/**
 * Each student's copy of the first published module's first notebook, as opening it in the
 * workspace makes it, and its first code cell (the one the questions are about).
 */
async function openCopies(tokens: string[]): Promise<BenchWorkspace[]> {
  const get = async <T>(token: string, route: string): Promise<T> => {
    const response = await fetch(`${backend!.url}${route}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!response.ok) throw new Error(`GET ${route}: ${response.status}`);
    return (await response.json()) as T;
  };
  const { modules } = await get<{ modules: Array<{ id: string }> }>(tokens[0]!, '/api/modules');
  if (!modules[0]) throw new Error('--workspace: no published module (the starter module is off?)');
  const { module } = await get<{ module: { notebooks: Array<{ id: string }> } }>(
    tokens[0]!,
    `/api/modules/${modules[0].id}`,
  );
  const copyRoute = `/api/modules/${modules[0].id}/notebooks/${module.notebooks[0]!.id}/copy`;
  const workspaces: BenchWorkspace[] = [];
  for (let i = 0; i < tokens.length; i += 10) {
    const batch = await Promise.all(
      tokens.slice(i, i + 10).map(async (token) => {
        type Cell = { id: string; cell_type: string; source: string | string[] };
        const { copy } = await get<{ copy: { id: string; content: { cells: Cell[] } } }>(
          token,
          copyRoute,
        );
        const cell = copy.content.cells.find((candidate) => candidate.cell_type === 'code');
        if (!cell) throw new Error('--workspace: the notebook has no code cell');
        const source = Array.isArray(cell.source) ? cell.source.join('') : cell.source;
        return { copyId: copy.id, cellId: cell.id, cellSource: source };
      }),
    );
    workspaces.push(...batch);
  }
  return workspaces;
}

async function registerUsers(count: number): Promise<string[]> {
  const tag = Date.now().toString(36);
  const tokens: string[] = [];
  for (let i = 0; i < count; i += 10) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(10, count - i) }, async (_, j) => {
        const response = await fetch(`${backend!.url}/api/auth/register`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            email: `side-${tag}-${i + j}@example.org`,
            username: `side_${tag}_${i + j}`,
            password: 'a bench password that is long enough',
          }),
        });
        if (response.status !== 201) throw new Error(`register: ${response.status}`);
        return ((await response.json()) as { accessToken: string }).accessToken;
      }),
    );
    tokens.push(...batch);
  }
  return tokens;
}

async function main() {
  const buildWarning = checkBuild();
  if (buildWarning) console.warn(`warning: ${buildWarning}`);
  tempDir = mkdtempSync(path.join(os.tmpdir(), 'hintbook-side-'));
  fake = await startFake({ FAKE_TIMING: 'realistic' });
  if (!fake.timing) throw new Error('the fake did not take the realistic timing');
  const timing = `${fake.timing.firstTokenMs} ms to the first token, ${fake.timing.perTokenMs} ms per token, structured calls wait for their whole generation`;
  log(`fake OpenAI at ${fake.baseUrl}: ${timing}`);
  if (pgServerUrl) database = await createThrowawayDatabase(pgServerUrl);
  const databaseName = database ? `PostgreSQL ${new URL(database.url).host}` : 'PGlite (embedded)';
  backend = await startBackend(
    {
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
      DATA_DIR: path.join(tempDir, 'data'),
      ...(database ? { DATABASE_URL: database.url } : {}),
      ...(POOL_MAX ? { DATABASE_POOL_MAX: String(POOL_MAX) } : {}),
      SERVE_STATIC: 'false',
      ...(noRetrieval ? { RETRIEVAL_TOKEN_BUDGET: '0' } : {}),
      JWT_SECRET_KEY: 'bench-only-secret-0123456789abcdefghijklmnopqrstuvwxyz',
      ACCESS_TOKEN_TTL: '2h',
      BCRYPT_ROUNDS: '4',
      AUTH_RATE_LIMIT_PER_MINUTE: '1000000',
      LLM_PROVIDER: 'openai',
      OPENAI_BASE_URL: fake.baseUrl,
      OPENAI_API_KEY: 'sk-bench-fake',
      LLM_MAX_RETRIES: '0',
      LLM_CLASSIFICATION_TIMEOUT: '8s',
      CHAT_TURNS_PER_MINUTE: '1000000',
      // Limits on, far from reached: every turn reserves and settles, as in production
      // (`--no-limits`: none, so nothing is reserved).
      CHAT_DAILY_TOKENS: noLimits ? '0' : '1000000000',
      CHAT_WEEKLY_TOKENS: '0',
      MONTHLY_BUDGET_USD: noLimits ? '0' : '1000000',
      // Small enough that conversations of 10 questions fold into summaries.
      CHAT_HISTORY_TOKENS: '1200',
      SOCKET_MAX_CONNECTIONS_PER_USER: '100',
    },
    path.join(tempDir, 'backend.log'),
  );
  log(`backend at ${backend.url} on ${databaseName}`);
  await fetch(`${fake.url}/__fake/default`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ chunks: Array(CHUNKS).fill('x'), structured: CLASSIFICATION_ANSWER }),
  });

  await askDirectly(1); // warm-up: connections, JIT
  const direct = summarizeValues(await askDirectly(quick ? 2 : 3));
  log(`provider asked directly: first token p50 ${round(direct.p50, 1)} ms`);
  await fetch(`${fake.controlUrl}/timings`);
  await fetch(`${fake.controlUrl}/requests`);

  for (let i = 0; i < WORKERS; i += 1) workers.push(startWorker());
  await Promise.all(
    workers.map((worker) =>
      worker.request({ type: 'calibrate', clockUrl: fake!.controlUrl }, 'calibrated', 30_000),
    ),
  );
  const tokens = await registerUsers(STREAMS);
  const workspaces = WORKSPACE ? await openCopies(tokens) : undefined;
  const mine = <T>(items: T[], w: number) => items.filter((_, i) => i % WORKERS === w);
  await Promise.all(
    workers.map((worker, w) =>
      worker.request(
        {
          type: 'connect',
          url: backend!.url,
          tokens: mine(tokens, w),
          ...(workspaces ? { workspaces: mine(workspaces, w) } : {}),
        },
        'connected',
        120_000,
      ),
    ),
  );
  const answerMs = fake.timing.firstTokenMs + CHUNKS * fake.timing.perTokenMs;
  const warmup = WARMUP_TURNS > 0 ? await warmUp(answerMs) : undefined;
  log(`${STREAMS} students connected; ${TURNS} questions each`);
  const loadBefore = os.loadavg();
  await backend.probe('reset');
  const turnsStartedAt = performance.now();
  // The baseline again, asked from the clients' own processes while the turns run.
  const results = await converse(TURNS, answerMs, {
    baseUrl: fake.baseUrl,
    everyMs: DIRECT_EVERY_MS,
  });
  const loadAfter = os.loadavg();
  const backendStats = await backend.probe('stats');
  const turnsSeconds = (performance.now() - turnsStartedAt) / 1000;
  const turns: TurnRecord[] = results.flatMap((result) => result.turns);
  const directMeanwhile = summarizeValues(
    results.flatMap((result) => result.directFirstTokenMs ?? []),
  );
  const timings = (await (await fetch(`${fake.controlUrl}/timings`)).json()) as Record<
    string,
    FakeTurnTimings
  >;
  // Summaries of the last answers run after them: give them time to end before counting.
  await new Promise((resolve) => setTimeout(resolve, answerMs + 1_000));
  const requests = (await (await fetch(`${fake.controlUrl}/requests`)).json()) as FakeRequest[];
  const side = analyseSideBySide(turns, timings, requests);
  const directShare = analyseDirectShare(
    results.flatMap((result) => result.directRequests ?? []),
    timings,
  );
  log(`${side.clean}/${side.turns} turns clean, ${side.summaries} summaries`);
  const problems = [...new Set(turns.flatMap((turn) => turn.problems))];
  if (problems.length > 0 && tempDir) log(`backend log: ${path.join(tempDir, 'backend.log')}`);
  if (problems.length > 0)
    log(`problems (${problems.length} kinds): ${problems.slice(0, 5).join('; ').slice(0, 600)}`);

  await Promise.all(workers.map((worker) => stop(worker.child, 2_000)));
  workers.length = 0;
  await stop(backend.child, 12_000);
  backend = undefined;
  if (database) process.env.TEST_DATABASE_URL = pgServerUrl;
  const stopped = await measureStoppedUsage();

  const ratio = side.throughHintbook.p50 / direct.p50;
  const ratioMeanwhile = side.throughHintbook.p50 / directMeanwhile.p50;
  const ms = (value: number) => `${round(value, 1)} ms`;
  const rows: Row[] = [
    {
      metric: `first token through Hintbook ÷ provider's own, median (${STREAMS} streams)`,
      measured:
        `${round(ratio, 3)} (${ms(side.throughHintbook.p50)} ÷ ${ms(direct.p50)} asked directly); ` +
        `÷ the fake's own wait in the turns (${ms(side.providerOwn.p50)}): ${round(side.throughHintbook.p50 / side.providerOwn.p50, 3)}`,
      target: `≤ ${TARGETS.ratio}`,
      pass: ratio <= TARGETS.ratio,
    },
    {
      metric: `  … ÷ provider asked directly meanwhile, from the same client processes (${directMeanwhile.count} requests)`,
      measured: `${round(ratioMeanwhile, 3)} (${ms(side.throughHintbook.p50)} ÷ ${ms(directMeanwhile.p50)}; direct p99 ${ms(directMeanwhile.p99)})`,
      target: `≤ ${TARGETS.ratio}`,
      pass: ratioMeanwhile <= TARGETS.ratio,
    },
    {
      metric: 'added first-token latency p50 / p99 (through Hintbook − provider wait)',
      measured: `${ms(side.added.p50)} / ${ms(side.added.p99)}`,
      target: `≤ ${TARGETS.addedP50Ms} / ≤ ${TARGETS.addedP99Ms} ms`,
      pass: side.added.p50 <= TARGETS.addedP50Ms && side.added.p99 <= TARGETS.addedP99Ms,
    },
    {
      metric: '  of which before the answer call (send → request at the fake) p50 / p99',
      measured: `${ms(side.beforeAnswerCall.p50)} / ${ms(side.beforeAnswerCall.p99)}`,
      target: '—',
    },
    {
      metric: `    first questions (${side.beforeAnswerCallFirst.count}) / follow-ups (${side.beforeAnswerCallFollowUp.count}) p50 / p99`,
      measured: `${ms(side.beforeAnswerCallFirst.p50)} / ${ms(side.beforeAnswerCallFirst.p99)}; ${ms(side.beforeAnswerCallFollowUp.p50)} / ${ms(side.beforeAnswerCallFollowUp.p99)}`,
      target: '—',
    },
    ...(warmup
      ? [
          {
            // Not in the rows above: what the same turns cost a backend that just started.
            metric: `  warm-up turns before these (${warmup.turns}, ${WARMUP_TURNS} per student, a just-started backend) p50 / p99`,
            measured: `${ms(warmup.added.p50)} / ${ms(warmup.added.p99)} added; before the answer call ${ms(warmup.beforeAnswerCall.p50)} / ${ms(warmup.beforeAnswerCall.p99)}`,
            target: '—',
          },
        ]
      : []),
    {
      metric: '  of which first chunk pass-through (fake wrote → client got) p50 / p99',
      measured: `${ms(side.firstChunkPipe.p50)} / ${ms(side.firstChunkPipe.p99)}`,
      target: '—',
    },
    {
      // Not Hintbook's: shown beside the target, which stays as it is.
      metric: `  the bench's own share: provider asked directly meanwhile, the same subtraction (${directShare.added.count} requests) p50 / p99`,
      measured: `${ms(directShare.added.p50)} / ${ms(directShare.added.p99)} (request → fake ${ms(directShare.toFake.p50)} / ${ms(directShare.toFake.p99)}, first chunk → client ${ms(directShare.back.p50)} / ${ms(directShare.back.p99)})`,
      target: '—',
    },
    {
      metric: "  the backend's event-loop delay p50 / p99 / max while the turns ran; its GC pauses",
      measured: `${ms(backendStats.loopDelayP50Ms)} / ${ms(backendStats.loopDelayP99Ms)} / ${ms(backendStats.loopDelayMaxMs)}; ${describeGc(backendStats.gc)}; CPU ${round(backendStats.cpuPercent, 0)} %, RSS ${Math.round(backendStats.rssKb / 1024)} MB`,
      target: '—',
    },
    {
      // What the backend spends per turn, the load every turn's first token waits behind.
      metric:
        "  the backend's CPU per turn (its CPU while the turns ran ÷ turns); SQL statements per turn",
      measured: `${ms(((backendStats.cpuPercent / 100) * turnsSeconds * 1000) / turns.length)}; ${backendStats.sqlStatements ? round(backendStats.sqlStatements / turns.length, 1) : 'PGlite: not counted'}`,
      target: '—',
    },
    {
      metric:
        'provider round trips before the first answer token (answer call within 25 ms of one ending)',
      measured: `${side.waitedFor} in ${side.turnsThatWaited} of ${side.turns} turns`,
      target: `${TARGETS.roundTrips}`,
      pass: side.waitedFor === TARGETS.roundTrips,
    },
    {
      metric: '  calls that merely ended between send and answer call (ran beside a slow start)',
      measured: `max ${side.maxRoundTripsBefore} per turn, mean ${round(side.roundTripsBefore.mean, 3)}; ${side.classifications} classifications, ${side.summaries} summaries in all`,
      target: '—',
    },
    ...stopped.map((usage) => ({
      metric: `usage recorded for a stopped answer: ${usage.vendor}`,
      measured: `in ${usage.inputTokens} / out ${usage.outputTokens} tokens after ${usage.deltasSeen} deltas, ${usage.isEstimate ? 'estimate (flagged)' : 'vendor count'}, ${usage.outcome}`,
      target: 'vendor count or estimate',
      pass: usage.inputTokens > 0 && usage.outputTokens >= usage.deltasSeen,
    })),
    {
      metric: 'turns clean / total',
      measured: `${side.clean} / ${side.turns}`,
      target: 'all',
      pass: side.clean === side.turns,
    },
  ];
  const loads = (values: number[]) => values.map((value) => value.toFixed(2)).join(' ');
  console.log(`\nSide by side on ${databaseName}; fake provider: ${timing}.`);
  console.log(
    `Load average (1/5/15 min) when the turns began: ${loads(loadBefore)}; when they ended: ${loads(loadAfter)} (${os.cpus().length} cores).`,
  );
  console.log(
    `${STREAMS} concurrent conversations × ${TURNS} questions, ${CHUNKS} tokens per answer, ` +
      `history budget 1200 tokens, ${THINK_MS ? `${THINK_MS} ms (±50 %) between an answer and the next question` : 'next question as soon as the answer ends'}` +
      `${noLimits ? ', no limits' : ', limits on (reserved per turn)'}${noRetrieval ? ', retrieval off' : ''}` +
      `${WORKSPACE ? ', asked from a module notebook’s workspace (active cell and error)' : ''}.\n`,
  );
  printTable(rows);
  const resultsDir = path.join(repoRoot, 'bench/results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(
    path.join(
      resultsDir,
      `side-by-side-${database ? 'postgres' : 'pglite'}${WORKSPACE ? '-workspace' : ''}.json`,
    ),
    `${JSON.stringify({ date: new Date().toISOString(), quick, timing: fake.timing, loadBefore, loadAfter, backendStats, direct, directMeanwhile, directShare, warmup, side, stopped, rows }, null, 2)}\n`,
  );
}

/** `minor 1200 × (total 900 ms, max 4.1 ms), major …`: the backend's GC pauses by kind. */
function describeGc(gc: ProbeSnapshot['gc']): string {
  const kinds = Object.entries(gc);
  if (kinds.length === 0) return 'no GC';
  return kinds
    .map(
      ([kind, seen]) =>
        `${kind} ${seen.count} × (total ${Math.round(seen.totalMs)} ms, max ${round(seen.maxMs, 1)} ms)`,
    )
    .join(', ');
}

let failed = false;
try {
  await main();
} catch (error) {
  failed = true;
  console.error('bench failed:', error);
}
await cleanup();
process.exit(failed ? 1 : 0);
