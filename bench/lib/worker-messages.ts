import type { Histogram } from './stats.js';

/** What run.ts and client-worker.ts say to each other over the IPC channel. */

/** A student's copy of a module notebook and the code cell they ask about, with its error. */
export interface BenchWorkspace {
  copyId: string;
  cellId: string;
  cellSource: string;
}

export type WorkerRequest =
  | { type: 'calibrate'; clockUrl: string }
  | {
      type: 'connect';
      url: string;
      tokens: string[];
      /** Beside `tokens`: where each student asks from (side-by-side's `--workspace`). */
      workspaces?: BenchWorkspace[];
    }
  | {
      type: 'run';
      clients: number;
      durationMs: number;
      staggerMs: number;
      chunks: number;
      turnTimeoutMs: number;
    }
  | {
      /** Side by side: each client holds one conversation of `turns` questions in a row. */
      type: 'conversation';
      clients: number;
      turns: number;
      /** Pause between an answer and the next question, as a student reads and tries. */
      thinkMs: number;
      staggerMs: number;
      chunks: number;
      turnTimeoutMs: number;
      /**
       * The provider asked directly from this same process while the conversations run (same
       * client load, same machine load): one streamed request every `everyMs`.
       */
      direct?: { baseUrl: string; everyMs: number };
    }
  | {
      /**
       * Paired (bench/metrics-paired.ts): the first `pairs` sockets this worker connected and the
       * next `pairs` form pairs; each pair sends its two questions in the same tick (which socket
       * writes first alternates), waits for both answers, and asks again until `durationMs`.
       */
      type: 'paired';
      pairs: number;
      durationMs: number;
      staggerMs: number;
      chunks: number;
      turnTimeoutMs: number;
    }
  | { type: 'close' };

/** One turn as a client saw it; times are on the fake provider's clock (ms). */
export interface TurnRecord {
  benchId: string;
  conversationId?: string;
  /** 1 for a conversation's first question. */
  turnIndex?: number;
  sentAt: number;
  ackAt?: number;
  metaAt?: number;
  firstDeltaAt?: number;
  lastDeltaAt?: number;
  doneAt?: number;
  /** Fake wrote chunk 0 → client got delta 1. */
  firstChunkPipeMs?: number;
  deltas: number;
  /** Each delta's added latency in seq order (ms), kept only by the paired bench. */
  deltaAddedMs?: number[];
  outcome: 'ok' | 'broken' | 'error' | 'timeout';
  problems: string[];
}

export interface RunResult {
  turns: TurnRecord[];
  deltaAdded: Histogram;
  clients: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  wallMs: number;
  /** Request sent → first content chunk of the provider asked directly meanwhile (ms). */
  directFirstTokenMs?: number[];
  /** The same requests, each with its bench id and times on the fake's clock (ms). */
  directRequests?: DirectRequest[];
}

/** One request to the provider asked directly, named like a turn so the fake times it too. */
export interface DirectRequest {
  benchId: string;
  sentAt: number;
  firstAt: number;
}

/** Two turns sent in the same tick: `a` on the pair's first socket, `b` on its second. */
export interface TurnPair {
  a: TurnRecord;
  b: TurnRecord;
}

export type WorkerReply =
  | { type: 'calibrated'; rtt: number; offset: number }
  | { type: 'connected'; connected: number; failures: number; ms: number }
  | ({ type: 'ran' } & RunResult)
  | { type: 'ranPaired'; pairs: TurnPair[]; loopDelayP99Ms: number }
  | { type: 'closed' }
  | { type: 'failed'; message: string };
