import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CallRecord } from '../../ai/resilient-stream.js';
import type { EmbeddingCallRecord } from '../../ai/embeddings/registry.js';

/**
 * Every Hintbook metric, in one registry per app (tests build many apps in one process). Labels
 * are bounded sets: route templates, never raw paths; providers, models and kinds from config;
 * outcomes and error codes from our own enums; never a user, session or message id.
 *
 * Gauges set at scrape time (circuit state, pool) or from readings taken on their own schedule
 * (budget, active students, database up) are attached in collectors.ts, where their
 * dependencies are.
 */

/** Request latency: most API calls are a few ms; uploads and exports take seconds. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** First token: vendors answer in 0.3–3 s; the first-token timeout is 30 s. */
const FIRST_TOKEN_BUCKETS = [0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 8, 13, 20, 30];
/** A whole answer or a provider call: seconds to a minute or two. */
const LONG_BUCKETS = [0.25, 0.5, 1, 2, 3, 5, 8, 13, 20, 30, 45, 60, 90, 120];
const DB_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** How a turn ended, as the student saw it. */
export type TurnOutcome = 'completed' | 'interrupted' | 'failed';

/** What a provider call was for: usage_events' purposes, embeddings included. */
export type CallKind = CallRecord['purpose'] | 'embedding';

/** `isRecording: false` (METRICS_RECORDING=off): the same object, every recorder a no-op. */
export function createAppMetrics(options: { isRecording?: boolean } = {}) {
  const registry = new Registry();
  const registers = [registry];

  const httpDuration = new Histogram({
    name: 'hintbook_http_request_duration_seconds',
    help: 'HTTP request duration by route template and method',
    labelNames: ['route', 'method'] as const,
    buckets: HTTP_BUCKETS,
    registers,
  });
  const httpResponses = new Counter({
    name: 'hintbook_http_responses_total',
    help: 'HTTP responses by route template, method and status class (2xx, 3xx, 4xx, 5xx)',
    labelNames: ['route', 'method', 'status_class'] as const,
    registers,
  });

  const turnsStarted = new Counter({
    name: 'hintbook_turns_started_total',
    help: 'Tutor turns started (questions, retries and edits)',
    registers,
  });
  const turnsEnded = new Counter({
    name: 'hintbook_turns_ended_total',
    help: 'Tutor turns ended, by outcome (completed, interrupted, failed) and error code',
    labelNames: ['outcome', 'code'] as const,
    registers,
  });
  const firstToken = new Histogram({
    name: 'hintbook_turn_first_token_seconds',
    help: 'Time from a stored question to the first answer delta sent',
    buckets: FIRST_TOKEN_BUCKETS,
    registers,
  });
  const turnDuration = new Histogram({
    name: 'hintbook_turn_duration_seconds',
    help: 'Time from a stored question to the terminal event, by outcome',
    labelNames: ['outcome'] as const,
    buckets: LONG_BUCKETS,
    registers,
  });
  const deltasSent = new Counter({
    name: 'hintbook_turn_deltas_sent_total',
    help: 'chat:delta events sent (one per streamed chunk, to all tabs of a student at once)',
    registers,
  });

  const aiDuration = new Histogram({
    name: 'hintbook_ai_call_duration_seconds',
    help: 'Vendor call duration by provider, model and kind',
    labelNames: ['provider', 'model', 'kind'] as const,
    buckets: LONG_BUCKETS,
    registers,
  });
  const aiCalls = new Counter({
    name: 'hintbook_ai_calls_total',
    help: 'Vendor calls by provider, model, kind, outcome (ok, error, interrupted, aborted) and error kind',
    labelNames: ['provider', 'model', 'kind', 'outcome', 'error_kind'] as const,
    registers,
  });
  const aiTokens = new Counter({
    name: 'hintbook_ai_tokens_total',
    help: 'Tokens by provider, model, kind and direction (input, output), as the vendor counted them',
    labelNames: ['provider', 'model', 'kind', 'direction'] as const,
    registers,
  });
  const aiCost = new Counter({
    name: 'hintbook_ai_cost_usd_total',
    help: 'Cost in USD from the pricing table, by provider, model and kind',
    labelNames: ['provider', 'model', 'kind'] as const,
    registers,
  });

  const checks = new Counter({
    name: 'hintbook_exercise_checks_total',
    help: 'Exercise checks recorded, by outcome (passed, failed, error, timeout)',
    labelNames: ['outcome'] as const,
    registers,
  });

  const dbQueries = new Histogram({
    name: 'hintbook_db_query_duration_seconds',
    help: 'Database query duration, by outcome (ok, error)',
    labelNames: ['outcome'] as const,
    buckets: DB_BUCKETS,
    registers,
  });

  const recorders = {
    httpRequest(route: string, method: string, status: number, seconds: number) {
      httpDuration.observe({ route, method }, seconds);
      httpResponses.inc({ route, method, status_class: `${Math.floor(status / 100)}xx` });
    },
    turnStarted: () => turnsStarted.inc(),
    turnFirstDelta: (seconds: number) => firstToken.observe(seconds),
    turnEnded(outcome: TurnOutcome, code: string, seconds: number) {
      turnsEnded.inc({ outcome, code });
      turnDuration.observe({ outcome }, seconds);
    },
    deltaSent: () => deltasSent.inc(),

    /** One vendor call of the tutor; `costUsd` from the pricing table. */
    providerCall(call: CallRecord, costUsd: number) {
      observeCall(call.provider, call.model, call.purpose, {
        outcome: call.outcome,
        errorKind: call.error?.kind ?? 'none',
        durationMs: call.durationMs,
        inputTokens: call.usage?.inputTokens ?? 0,
        outputTokens: call.usage?.outputTokens ?? 0,
        costUsd,
      });
    },
    embeddingCall(call: EmbeddingCallRecord, costUsd: number) {
      observeCall(call.provider, call.model, 'embedding', {
        outcome: call.outcome,
        errorKind: call.error?.kind ?? 'none',
        durationMs: call.durationMs,
        inputTokens: call.inputTokens,
        outputTokens: 0,
        costUsd,
      });
    },
    checkRecorded: (outcome: string) => checks.inc({ outcome }),
    dbQuery: (seconds: number, isOk: boolean) =>
      dbQueries.observe({ outcome: isOk ? 'ok' : 'error' }, seconds),
  };
  return {
    registry,
    /** The instruments the System page reads percentiles from (see windows.ts). */
    histograms: { httpDuration, aiDuration, firstToken, turnDuration },
    counters: { httpResponses, aiCalls, turnsEnded },
    ...(options.isRecording === false ? silenced(recorders) : recorders),
  };

  function observeCall(
    provider: string,
    model: string,
    kind: CallKind,
    call: {
      outcome: string;
      errorKind: string;
      durationMs: number;
      inputTokens: number;
      outputTokens: number;
      costUsd: number;
    },
  ) {
    aiDuration.observe({ provider, model, kind }, call.durationMs / 1000);
    aiCalls.inc({ provider, model, kind, outcome: call.outcome, error_kind: call.errorKind });
    aiTokens.inc({ provider, model, kind, direction: 'input' }, call.inputTokens);
    aiTokens.inc({ provider, model, kind, direction: 'output' }, call.outputTokens);
    aiCost.inc({ provider, model, kind }, call.costUsd);
  }
}

export type AppMetrics = ReturnType<typeof createAppMetrics>;

/** Every function replaced by one that does nothing. */
function silenced<T extends Record<string, (...args: never[]) => void>>(recorders: T): T {
  return Object.fromEntries(Object.keys(recorders).map((name) => [name, () => {}])) as T;
}

/** A gauge whose value is read when Prometheus scrapes (see collectors.ts). */
export function scrapeGauge<L extends string>(
  registry: Registry,
  options: { name: string; help: string; labelNames?: readonly L[] },
  collect: (gauge: Gauge<L>) => Promise<void> | void,
): Gauge<L> {
  return new Gauge<L>({
    ...options,
    labelNames: options.labelNames ?? [],
    registers: [registry],
    async collect() {
      await collect(this);
    },
  });
}
