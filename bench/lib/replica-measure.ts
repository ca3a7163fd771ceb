import os from 'node:os';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import { analyseRun, type RunAnalysis } from './analysis.js';
import { cpuSeconds, machineTicks, type FakeProcess } from './processes.js';
import { questionFor } from './protocol.js';
import {
  CHUNK_DELAY_MS,
  CHUNKS,
  TOKENS_PER_SECOND,
  TURN_TIMEOUT_MS,
  type Deployment,
} from './replica-setup.js';
import { summarizeValues, type Summary } from './stats.js';
import type { RunResult } from './worker-messages.js';

/**
 * A level of N streams is **held** when, for N students each asking again as soon as an answer
 * ends (answers of 90 tokens at 30 tokens a second) for the level's whole window:
 *   - every turn ends with `chat:done`, its deltas arrive as seq 1…90 with none missing, each
 *     carrying its own chunk, and `chat:done.content` equals the deltas joined;
 *   - the mean delivered rate is at least 27 tokens a second;
 *   - the replica's event-loop delay p99 stays under 50 ms;
 *   - each delta's added latency (the fake wrote the chunk → the client got the delta) has a p99
 *     of at most DELTA_P99_BOUND_MS: no stream stutters although the averages look fine.
 * The first three are scenario B's rules (bench/lib/analysis.ts); the fourth is added here.
 */
export const DELTA_P99_BOUND_MS = 100;

export interface LevelResult {
  streams: number;
  /** % of one core over the level, except `machine`: % of all cores. */
  cpuPercent: {
    replica: number;
    fake: number;
    otherReplicas: number[];
    redis: number | null;
    machine: number;
  };
  held: boolean;
  reasons: string[];
  deltaAddedP99Ms: number;
  tokensPerSecond: number;
  loopDelayP99Ms: number;
  benchLimited: boolean;
  analysis: RunAnalysis;
}

/** Ramps through `levels` until one is not held; the clients talk to `deployment.target`. */
export async function rampStreams(
  deployment: Deployment,
  fake: FakeProcess,
  levels: number[],
  levelMs: number,
  log: (message: string) => void,
  /** Redis's own process, when it runs on this machine: its CPU is printed beside the replica's. */
  redisPid?: number,
  /** Levels tried between the last held and the first failed level (bisection). */
  refineSteps = 0,
): Promise<{ held: number; allHeld: boolean; levels: LevelResult[] }> {
  const { workers, target } = deployment;
  const tokens = await deployment.register(Math.max(...levels));
  const connected = workers.map(() => 0);
  const results: LevelResult[] = [];
  const runLevel = async (streams: number): Promise<LevelResult> => {
    // Sockets are dealt round-robin; each worker keeps those it opened for earlier levels.
    await Promise.all(
      workers.map((worker, w) => {
        const want = Math.floor(streams / workers.length) + (w < streams % workers.length ? 1 : 0);
        const mine = tokens.filter((_, i) => i % workers.length === w).slice(connected[w], want);
        connected[w] = Math.max(connected[w]!, want);
        return worker.request(
          { type: 'connect', url: target.url, tokens: mine },
          'connected',
          180_000,
        );
      }),
    );
    // The replica under load, the fake, then what the adapter adds: the idle replica, Redis.
    const pids = [
      target.child.pid,
      fake.child.pid,
      ...deployment.others.map((other) => other.child.pid),
      redisPid,
    ];
    const cpuBefore = pids.map(cpuSeconds);
    const machineBefore = machineTicks();
    await target.probe('reset');
    await fetch(`${fake.controlUrl}/stats?reset=1`);
    await fetch(`${fake.controlUrl}/timings`);
    const started = performance.now();
    const runs = await Promise.all(
      workers.map((worker, w) =>
        worker.request(
          {
            type: 'run',
            clients: Math.floor(streams / workers.length) + (w < streams % workers.length ? 1 : 0),
            durationMs: levelMs,
            staggerMs: CHUNKS * CHUNK_DELAY_MS,
            chunks: CHUNKS,
            turnTimeoutMs: TURN_TIMEOUT_MS,
          },
          'ran',
          levelMs + TURN_TIMEOUT_MS + 30_000,
        ),
      ),
    );
    const wallSeconds = (performance.now() - started) / 1000;
    const machineAfter = machineTicks();
    const [backendCpu, fakeCpu, ...adapterCpu] = pids.map(
      (pid, index) => ((cpuSeconds(pid) - cpuBefore[index]!) / wallSeconds) * 100,
    );
    const otherReplicaCpu = adapterCpu.slice(0, deployment.others.length);
    const redisCpu = redisPid ? adapterCpu.at(-1) : undefined;
    const machine =
      ((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) * 100;
    const fakeStats = (await (await fetch(`${fake.controlUrl}/stats`)).json()) as {
      loopDelayP99Ms: number;
    };
    const analysis = analyseRun({
      clients: streams,
      tokensPerSecond: TOKENS_PER_SECOND,
      results: runs as RunResult[],
      timings: (await (await fetch(`${fake.controlUrl}/timings`)).json()) as never,
      backend: await target.probe('stats'),
      fakeLoopDelayP99Ms: fakeStats.loopDelayP99Ms,
      healthMs: [],
      cpuPercent: {
        backend: backendCpu!,
        fake: fakeCpu!,
        clients: 0,
        machine,
        others: Math.max(0, machine * os.availableParallelism() - backendCpu! - fakeCpu!),
      },
    });
    const reasons = [...analysis.verdict.reasons];
    const deltaAddedP99Ms = analysis.deltaAdded.p99;
    if (!(deltaAddedP99Ms <= DELTA_P99_BOUND_MS)) {
      reasons.push(`delta added p99 ${deltaAddedP99Ms.toFixed(0)} ms`);
    }
    const held = analysis.verdict.held && deltaAddedP99Ms <= DELTA_P99_BOUND_MS;
    const result: LevelResult = {
      streams,
      cpuPercent: {
        replica: backendCpu!,
        fake: fakeCpu!,
        otherReplicas: otherReplicaCpu,
        redis: redisCpu ?? null,
        machine,
      },
      held,
      reasons,
      deltaAddedP99Ms,
      tokensPerSecond: analysis.tokensPerSecond.mean,
      loopDelayP99Ms: analysis.backend.loopDelayP99Ms,
      benchLimited: analysis.verdict.benchLimited,
      analysis,
    };
    results.push(result);
    log(
      `${deployment.mode}: ${streams} streams ${held ? 'held' : 'NOT held'}` +
        ` (delta p99 ${deltaAddedP99Ms.toFixed(1)} ms, ${analysis.tokensPerSecond.mean.toFixed(1)} tok/s,` +
        ` loop p99 ${analysis.backend.loopDelayP99Ms.toFixed(1)} ms, replica CPU ${backendCpu!.toFixed(0)} %` +
        otherReplicaCpu.map((cpu) => `, idle replica ${cpu.toFixed(0)} %`).join('') +
        (redisCpu !== undefined ? `, redis-server ${redisCpu.toFixed(0)} %` : '') +
        `, machine ${machine.toFixed(0)} % of ${os.availableParallelism()} cores` +
        `${reasons.length ? `; ${reasons.join('; ')}` : ''})`,
    );
    return result;
  };

  // Up the coarse levels to the first one not held, then halve the gap below it `refineSteps`
  // times (100 → 50 → 25 streams): the ratio of two ramps is then a measurement, not a step.
  let held = 0;
  let failed: number | undefined;
  for (const streams of levels) {
    if ((await runLevel(streams)).held) held = streams;
    else {
      failed = streams;
      break;
    }
  }
  for (let step = 0; failed !== undefined && step < refineSteps; step++) {
    const between = Math.round((held + failed) / 2 / REFINE_GRAIN) * REFINE_GRAIN;
    if (between <= held || between >= failed) break;
    if ((await runLevel(between)).held) held = between;
    else failed = between;
  }
  return { held, allHeld: failed === undefined, levels: results };
}

/** Refined levels are multiples of this many streams. */
const REFINE_GRAIN = 25;

type ClientSocket = Socket;

/**
 * A stop sent through replica B for a turn streaming on replica A (separate processes, one Redis):
 * from `chat:stop` leaving B's client to the last delta A's client received, and to the
 * terminal event there. Both clients are in this process, so one clock times both.
 */
export async function measureCrossReplicaStop(
  deployment: Deployment,
  turns: number,
): Promise<{ toLastDelta: Summary; toTerminal: Summary }> {
  const b = deployment.others[0];
  if (!b) throw new Error('the stop needs a second replica');
  const [token] = await deployment.register(1);
  const open = (url: string) =>
    new Promise<ClientSocket>((resolve, reject) => {
      const socket = io(url, {
        path: '/socket.io',
        auth: { token },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', reject);
    });
  const onA = await open(deployment.target.url);
  const onB = await open(b.url);
  const toLastDelta: number[] = [];
  const toTerminal: number[] = [];
  try {
    for (let turn = 0; turn < turns; turn += 1) {
      const deltasOnB: number[] = [];
      let lastDeltaOnA = 0;
      let terminalOnA = 0;
      let turnId = '';
      const onDeltaA = (delta: { turnId: string }) => {
        if (delta.turnId === turnId) lastDeltaOnA = performance.now();
      };
      const onDeltaB = (delta: { turnId: string; seq: number }) => {
        if (delta.turnId === turnId) deltasOnB.push(delta.seq);
      };
      const onEndA = (event: { turnId: string }) => {
        if (event.turnId === turnId) terminalOnA = performance.now();
      };
      onA.on('chat:delta', onDeltaA);
      onB.on('chat:delta', onDeltaB);
      onA.on('chat:done', onEndA);
      onA.on('chat:error', onEndA);
      const ack = (await onA.timeout(10_000).emitWithAck('chat:send', {
        clientMessageId: randomUUID(),
        content: questionFor(randomUUID()),
      })) as { ok: boolean; turnId: string; sessionId: string };
      if (!ack.ok) throw new Error(`chat:send refused: ${JSON.stringify(ack)}`);
      turnId = ack.turnId;
      await until(() => deltasOnB.length >= 5, 20_000, 'B never saw 5 deltas');
      const stoppedAt = performance.now();
      onB.emit('chat:stop', { sessionId: ack.sessionId, turnId }, () => {});
      await until(() => terminalOnA > 0, 10_000, 'the stop never ended the turn');
      // Deltas sent just before the stop took effect may still be on their way.
      await new Promise((resolve) => setTimeout(resolve, 200));
      toLastDelta.push(Math.max(0, lastDeltaOnA - stoppedAt));
      toTerminal.push(terminalOnA - stoppedAt);
      onA.off('chat:delta', onDeltaA);
      onB.off('chat:delta', onDeltaB);
      onA.off('chat:done', onEndA);
      onA.off('chat:error', onEndA);
    }
  } finally {
    onA.close();
    onB.close();
  }
  return { toLastDelta: summarizeValues(toLastDelta), toTerminal: summarizeValues(toTerminal) };
}

async function until(check: () => boolean, timeoutMs: number, message: string) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(message);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
