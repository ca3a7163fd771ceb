import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import OpenAI from 'openai';
import { io, type Socket } from 'socket.io-client';
import type {
  ChatDeltaEvent,
  ChatDoneEvent,
  ChatErrorEvent,
  ChatSendAck,
  ClientToServerEvents,
  ServerToClientEvents,
} from '@hintbook/contracts';
import { measureClockOffset } from './lib/fake-clock.js';
import { decodeStamp, LOOP_RESOLUTION_MS, loopDelayMs, questionFor } from './lib/protocol.js';
import { addSample, type Histogram } from './lib/stats.js';
import type {
  BenchWorkspace,
  DirectRequest,
  TurnPair,
  TurnRecord,
  WorkerReply,
  WorkerRequest,
} from './lib/worker-messages.js';

/**
 * One process of socket.io clients, driven by run.ts over IPC. Times are this process's
 * `performance.now()` plus the offset to the fake provider's clock (measured by `calibrate`),
 * so a delta's receive time and the fake's send stamp are on one clock.
 */

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const sockets: ClientSocket[] = [];
/** Students who ask from a module notebook's workspace (side-by-side's `--workspace`). */
const workspaceOf = new Map<ClientSocket, BenchWorkspace>();
let offsetMs = 0;
const loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
loopDelay.enable();

const fakeNow = () => performance.now() + offsetMs;
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function reply(message: WorkerReply) {
  process.send?.(message);
}

async function calibrate(clockUrl: string) {
  const best = await measureClockOffset(clockUrl);
  offsetMs = best.offset;
  return best;
}

function connectOne(url: string, token: string): Promise<ClientSocket | null> {
  const socket: ClientSocket = io(url, {
    path: '/socket.io',
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: 20_000,
  });
  return new Promise((resolve) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      console.error(`connect failed: ${error.message}`);
      socket.close();
      resolve(null);
    });
  });
}

async function connect(url: string, tokens: string[], workspaces?: BenchWorkspace[]) {
  const started = performance.now();
  let failures = 0;
  for (let i = 0; i < tokens.length; i += 50) {
    const batch = await Promise.all(tokens.slice(i, i + 50).map((token) => connectOne(url, token)));
    batch.forEach((socket, j) => {
      if (!socket) {
        failures += 1;
        return;
      }
      sockets.push(socket);
      const workspace = workspaces?.[i + j];
      if (workspace) workspaceOf.set(socket, workspace);
    });
  }
  return { connected: sockets.length, failures, ms: performance.now() - started };
}

interface TurnOptions {
  chunks: number;
  timeoutMs: number;
  deltaAdded: Histogram;
  /** Keep each delta's added latency on the record (the paired bench bootstraps over them). */
  keepDeltas?: boolean;
  /** Asks in this conversation (set from the first answer's ack) instead of a new one. */
  conversation?: { id: string; sessionId?: string; turnIndex: number };
}

/** One question (on a new session unless `conversation` has one), start to terminal event. */
function runTurn(socket: ClientSocket, options: TurnOptions): Promise<TurnRecord> {
  const benchId = randomUUID();
  const conversation = options.conversation;
  const turn: TurnRecord = {
    benchId,
    ...(conversation ? { conversationId: conversation.id, turnIndex: conversation.turnIndex } : {}),
    sentAt: fakeNow(),
    deltas: 0,
    ...(options.keepDeltas ? { deltaAddedMs: [] } : {}),
    outcome: 'timeout',
    problems: [],
  };
  let turnId: string | undefined;
  let text = '';
  let lastSeq = 0;
  return new Promise((resolve) => {
    const finish = (outcome: TurnRecord['outcome']) => {
      clearTimeout(timer);
      socket.off('chat:delta', onDelta);
      socket.off('chat:done', onDone);
      socket.off('chat:error', onError);
      socket.off('chat:meta', onMeta);
      turn.outcome = outcome;
      resolve(turn);
    };
    const timer = setTimeout(() => {
      turn.problems.push(`timeout after ${lastSeq} deltas`);
      finish('timeout');
    }, options.timeoutMs);
    const mine = (event: { turnId: string }) => turnId !== undefined && event.turnId === turnId;
    const onMeta = (event: { turnId: string }) => {
      if (mine(event)) turn.metaAt = fakeNow();
    };
    const onDelta = (event: ChatDeltaEvent) => {
      if (!mine(event)) return;
      const receivedAt = fakeNow();
      if (event.seq !== lastSeq + 1) turn.problems.push(`seq ${event.seq} after ${lastSeq}`);
      lastSeq = event.seq;
      const stamp = decodeStamp(event.text);
      if (!stamp) turn.problems.push(`unstamped delta ${JSON.stringify(event.text)}`);
      else {
        if (stamp.index !== event.seq - 1) {
          turn.problems.push(`delta seq ${event.seq} carries chunk ${stamp.index}`);
        }
        addSample(options.deltaAdded, receivedAt - stamp.sentAtMs);
        turn.deltaAddedMs?.push(receivedAt - stamp.sentAtMs);
        if (event.seq === 1) turn.firstChunkPipeMs = receivedAt - stamp.sentAtMs;
      }
      if (event.seq === 1) turn.firstDeltaAt = receivedAt;
      turn.lastDeltaAt = receivedAt;
      turn.deltas += 1;
      text += event.text;
    };
    const onDone = (event: ChatDoneEvent) => {
      if (!mine(event)) return;
      turn.doneAt = fakeNow();
      if (event.status !== 'complete') turn.problems.push(`done with status ${event.status}`);
      if (event.content !== text) turn.problems.push('final content differs from the deltas');
      if (turn.deltas !== options.chunks) {
        turn.problems.push(`${turn.deltas} deltas for ${options.chunks} chunks`);
      }
      finish(turn.problems.length === 0 ? 'ok' : 'broken');
    };
    const onError = (event: ChatErrorEvent) => {
      if (!mine(event)) return;
      turn.problems.push(`chat:error ${event.code}`);
      finish('error');
    };
    socket.on('chat:meta', onMeta);
    socket.on('chat:delta', onDelta);
    socket.on('chat:done', onDone);
    socket.on('chat:error', onError);
    const workspace = workspaceOf.get(socket);
    socket.emit(
      'chat:send',
      {
        clientMessageId: benchId,
        content: questionFor(benchId, conversation?.id),
        ...(conversation?.sessionId ? { sessionId: conversation.sessionId } : {}),
        // From a notebook: the first question opens a conversation about it, and every question
        // carries the active cell and its error, as the workspace sends them.
        ...(workspace && !conversation?.sessionId
          ? { notebook: { kind: 'module_copy' as const, id: workspace.copyId } }
          : {}),
        ...(workspace
          ? {
              context: {
                activeCellId: workspace.cellId,
                activeCellSource: workspace.cellSource,
                lastError: { ename: 'NameError', evalue: "name 'totl' is not defined" },
              },
            }
          : {}),
      },
      (ack: ChatSendAck) => {
        turn.ackAt = fakeNow();
        if (!ack.ok) {
          turn.problems.push(`send refused: ${ack.error.code}`);
          finish('error');
          return;
        }
        turnId = ack.turnId;
        if (conversation) conversation.sessionId = ack.sessionId;
      },
    );
  });
}

/**
 * `clients` sockets each ask, wait for the whole answer, and ask again until `durationMs` has
 * passed; starts are spread over `staggerMs` so the load is steady rather than one burst.
 */
async function run(request: Extract<WorkerRequest, { type: 'run' }>) {
  const deltaAdded: Histogram = {};
  const turns: TurnRecord[] = [];
  const active = sockets.slice(0, request.clients);
  const startedAt = performance.now();
  const endAt = startedAt + request.durationMs;
  loopDelay.reset();
  await Promise.all(
    active.map(async (socket, i) => {
      await delay((request.staggerMs * i) / Math.max(1, active.length));
      while (performance.now() < endAt) {
        turns.push(
          await runTurn(socket, {
            chunks: request.chunks,
            timeoutMs: request.turnTimeoutMs,
            deltaAdded,
          }),
        );
      }
    }),
  );
  return {
    turns,
    deltaAdded,
    clients: active.length,
    loopDelayP99Ms: loopDelayMs(loopDelay.percentile(99)),
    loopDelayMaxMs: loopDelayMs(loopDelay.max),
    wallMs: performance.now() - startedAt,
  };
}

/**
 * Pairs of sockets (sockets[i] and sockets[pairs + i]) ask in the same tick and each waits for
 * both answers before asking again, so the two sides of a pair see the same instant's load.
 * Which of the two writes first alternates from turn to turn and from pair to pair.
 */
async function runPaired(request: Extract<WorkerRequest, { type: 'paired' }>) {
  if (sockets.length < 2 * request.pairs)
    throw new Error(`${sockets.length} sockets for ${request.pairs} pairs`);
  const pairs: TurnPair[] = [];
  const deltaAdded: Histogram = {};
  const endAt = performance.now() + request.durationMs;
  const options = {
    chunks: request.chunks,
    timeoutMs: request.turnTimeoutMs,
    deltaAdded,
    keepDeltas: true,
  };
  loopDelay.reset();
  await Promise.all(
    Array.from({ length: request.pairs }, async (_, i) => {
      await delay((request.staggerMs * i) / Math.max(1, request.pairs));
      const both = [sockets[i]!, sockets[request.pairs + i]!] as const;
      for (let n = i; performance.now() < endAt; n += 1) {
        const order = n % 2 === 0 ? [0, 1] : [1, 0];
        const turns = [] as Array<Promise<TurnRecord>>;
        for (const side of order) turns[side] = runTurn(both[side]!, options);
        const [a, b] = await Promise.all(turns);
        pairs.push({ a: a!, b: b! });
      }
    }),
  );
  return { pairs, loopDelayP99Ms: loopDelayMs(loopDelay.percentile(99)) };
}

/**
 * The provider asked directly, one streamed request every `everyMs` until `done`: the baseline
 * measured in the same process, under the same load, as the turns through Hintbook.
 */
async function askDirectlyMeanwhile(
  direct: { baseUrl: string; everyMs: number },
  isDone: () => boolean,
): Promise<DirectRequest[]> {
  const client = new OpenAI({ apiKey: 'sk-bench', baseURL: direct.baseUrl, maxRetries: 0 });
  const samples: DirectRequest[] = [];
  const running: Promise<void>[] = [];
  while (!isDone()) {
    running.push(
      (async () => {
        // Named like a turn, so the fake's own wait can be taken out as it is for the turns.
        const benchId = randomUUID();
        const sentAt = fakeNow();
        const stream = await client.chat.completions.create({
          model: 'gpt-5-mini',
          messages: [{ role: 'user', content: questionFor(benchId) }],
          stream: true,
        });
        let firstAt: number | undefined;
        for await (const chunk of stream) {
          if (firstAt === undefined && chunk.choices[0]?.delta?.content) firstAt = fakeNow();
        }
        if (firstAt !== undefined) samples.push({ benchId, sentAt, firstAt });
      })().catch((error: unknown) => console.error(`direct request failed: ${String(error)}`)),
    );
    await delay(direct.everyMs * (0.5 + Math.random()));
  }
  await Promise.all(running);
  return samples;
}

/** Each client asks `turns` questions in one conversation, each after the previous answer. */
async function converse(request: Extract<WorkerRequest, { type: 'conversation' }>) {
  const deltaAdded: Histogram = {};
  const turns: TurnRecord[] = [];
  const active = sockets.slice(0, request.clients);
  const startedAt = performance.now();
  loopDelay.reset();
  let conversing = true;
  const directly = request.direct
    ? askDirectlyMeanwhile(request.direct, () => !conversing)
    : Promise.resolve(undefined);
  await Promise.all(
    active.map(async (socket, i) => {
      await delay((request.staggerMs * i) / Math.max(1, active.length));
      const conversation = { id: randomUUID(), turnIndex: 0 };
      for (let n = 1; n <= request.turns; n += 1) {
        conversation.turnIndex = n;
        const turn = await runTurn(socket, {
          chunks: request.chunks,
          timeoutMs: request.turnTimeoutMs,
          deltaAdded,
          conversation,
        });
        turns.push(turn);
        if (turn.outcome === 'error' || turn.outcome === 'timeout') break;
        if (request.thinkMs > 0) await delay(request.thinkMs * (0.5 + Math.random()));
      }
    }),
  );
  conversing = false;
  const directRequests = await directly;
  return {
    ...(directRequests
      ? {
          directRequests,
          directFirstTokenMs: directRequests.map((request) => request.firstAt - request.sentAt),
        }
      : {}),
    turns,
    deltaAdded,
    clients: active.length,
    loopDelayP99Ms: loopDelayMs(loopDelay.percentile(99)),
    loopDelayMaxMs: loopDelayMs(loopDelay.max),
    wallMs: performance.now() - startedAt,
  };
}

process.on('message', (message: WorkerRequest) => {
  const handle = async (): Promise<WorkerReply> => {
    switch (message.type) {
      case 'calibrate':
        return { type: 'calibrated', ...(await calibrate(message.clockUrl)) };
      case 'connect':
        return {
          type: 'connected',
          ...(await connect(message.url, message.tokens, message.workspaces)),
        };
      case 'run':
        return { type: 'ran', ...(await run(message)) };
      case 'conversation':
        return { type: 'ran', ...(await converse(message)) };
      case 'paired':
        return { type: 'ranPaired', ...(await runPaired(message)) };
      case 'close':
        for (const socket of sockets.splice(0)) socket.close();
        await delay(200);
        return { type: 'closed' };
    }
  };
  handle()
    .then(reply)
    .catch((error: unknown) => reply({ type: 'failed', message: String(error) }));
});

// Never outlive the bench.
process.on('disconnect', () => process.exit(0));
