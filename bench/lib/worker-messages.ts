import type { Histogram } from './stats.js';

/** What run.ts and client-worker.ts say to each other over the IPC channel. */

export type WorkerRequest =
  | { type: 'calibrate'; clockUrl: string }
  | { type: 'connect'; url: string; tokens: string[] }
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

export type WorkerReply =
  | { type: 'calibrated'; rtt: number; offset: number }
  | { type: 'connected'; connected: number; failures: number; ms: number }
  | ({ type: 'ran' } & RunResult)
  | { type: 'closed' }
  | { type: 'failed'; message: string };
