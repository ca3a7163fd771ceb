import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ProviderSettings } from '../../ai/providers/provider-errors.js';
import {
  ProviderError,
  type ChatProvider,
  type ChatRequest,
  type ChatStreamEvent,
  type StructuredSchema,
} from '../../ai/types.js';
import type { FakeServer, StartOptions } from './fake-server.js';

/**
 * The behaviour every real SDK provider must show against its vendor's fake server. Each
 * `<vendor>.int.test.ts` runs this suite and adds what is specific to its wire format.
 */

export const classificationSchema: StructuredSchema<{ isNewProblem: boolean; difficulty: number }> =
  {
    name: 'classify_turn',
    jsonSchema: {
      type: 'object',
      properties: {
        isNewProblem: { type: 'boolean' },
        difficulty: { type: 'integer', minimum: 1 },
      },
      required: ['isNewProblem', 'difficulty'],
      additionalProperties: false,
    },
    parse: (value) =>
      z.object({ isNewProblem: z.boolean(), difficulty: z.number().int().min(1) }).parse(value),
  };

export const chatRequest = (model: string): ChatRequest => ({
  model,
  system: 'You are a patient tutor.',
  messages: [
    { role: 'user', content: 'Why does my loop never end?' },
    { role: 'assistant', content: 'What changes on each pass?' },
    { role: 'user', content: 'Nothing, I think.' },
  ],
  maxOutputTokens: 256,
});

export interface StreamOutcome {
  deltas: string[];
  done?: Extract<ChatStreamEvent, { type: 'done' }>;
  error?: ProviderError;
}

/** Drains a stream; a thrown value that is not a ProviderError fails the test. */
export async function collect(stream: AsyncIterable<ChatStreamEvent>): Promise<StreamOutcome> {
  const outcome: StreamOutcome = { deltas: [] };
  try {
    for await (const event of stream) {
      if (event.type === 'delta') outcome.deltas.push(event.text);
      else outcome.done = event;
    }
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    outcome.error = error;
  }
  return outcome;
}

export interface ContractSetup {
  start: (options?: StartOptions) => Promise<FakeServer>;
  create: (settings: ProviderSettings) => ChatProvider;
  model: string;
  /** Status the vendor uses for "overloaded" (529 Anthropic, 503 elsewhere). */
  overloadedStatus: number;
  /** Kind the vendor's in-stream error event maps to. */
  streamErrorKind: ProviderError['kind'];
  /** False for OpenAI-compatible servers, which run without a key. */
  requiresKey: boolean;
}

export function describeProviderContract(label: string, setup: ContractSetup) {
  describe(`${label} provider against its fake server`, () => {
    let fake: FakeServer;
    let provider: ChatProvider;
    const signal = () => new AbortController().signal;

    beforeAll(async () => {
      fake = await setup.start();
    });
    beforeEach(() => {
      fake.reset();
      provider = setup.create({
        apiKey: 'test-key',
        baseUrl: fake.baseUrl,
        connectTimeoutMs: 2_000,
      });
    });
    afterAll(async () => fake?.close());

    it('streams the deltas in order and reports the vendor token counts', async () => {
      fake.enqueue({
        chunks: ['Look', ' at', ' the', ' condition.'],
        usage: { inputTokens: 42, outputTokens: 7 },
      });
      const outcome = await collect(
        provider.streamChat(chatRequest(setup.model), { signal: signal() }),
      );
      expect(outcome.error).toBeUndefined();
      expect(outcome.deltas).toEqual(['Look', ' at', ' the', ' condition.']);
      expect(outcome.done).toEqual({
        type: 'done',
        usage: { inputTokens: 42, outputTokens: 7 },
        stopReason: 'end',
      });
      expect(fake.calls).toHaveLength(1);
      expect(JSON.stringify(fake.calls[0]!.body)).toContain('Why does my loop never end?');
    });

    it('reports a max-tokens stop', async () => {
      fake.enqueue({ chunks: ['Cut'], stopAtMaxTokens: true });
      const outcome = await collect(
        provider.streamChat(chatRequest(setup.model), { signal: signal() }),
      );
      expect(outcome.done?.stopReason).toBe('max_tokens');
    });

    it('maps 429 with retry-after to rate_limited without retrying inside the SDK', async () => {
      fake.enqueue({ error: { status: 429, retryAfter: '3' } });
      const outcome = await collect(
        provider.streamChat(chatRequest(setup.model), { signal: signal() }),
      );
      expect(outcome.error).toMatchObject({
        kind: 'rate_limited',
        options: { status: 429, retryAfterMs: 3000 },
      });
      expect(outcome.error?.retryable).toBe(true);
      expect(fake.calls).toHaveLength(1);
    });

    it('reads retry-after given as an HTTP date and retry-after-ms', async () => {
      const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
      fake.enqueue(
        { error: { status: 429, retryAfter: inTenSeconds } },
        { error: { status: 429, retryAfterMs: 1500 } },
      );
      const byDate = await collect(
        provider.streamChat(chatRequest(setup.model), { signal: signal() }),
      );
      expect(byDate.error?.options.retryAfterMs).toBeGreaterThan(8_000);
      expect(byDate.error?.options.retryAfterMs).toBeLessThanOrEqual(10_000);
      const byMs = await collect(
        provider.streamChat(chatRequest(setup.model), { signal: signal() }),
      );
      expect(byMs.error?.options.retryAfterMs).toBe(1500);
    });

    it('maps 500 to server and the overloaded status to overloaded', async () => {
      fake.enqueue({ error: { status: 500 } }, { error: { status: setup.overloadedStatus } });
      const server = await collect(
        provider.streamChat(chatRequest(setup.model), { signal: signal() }),
      );
      const overloaded = await collect(
        provider.streamChat(chatRequest(setup.model), { signal: signal() }),
      );
      expect(server.error).toMatchObject({ kind: 'server', options: { status: 500 } });
      expect(overloaded.error).toMatchObject({
        kind: 'overloaded',
        options: { status: setup.overloadedStatus },
      });
      expect(fake.calls).toHaveLength(2);
    });

    it('maps 401 to auth and 400 to invalid_request, neither retryable', async () => {
      fake.enqueue({ error: { status: 401 } }, { error: { status: 400 } });
      const auth = await collect(
        provider.streamChat(chatRequest(setup.model), { signal: signal() }),
      );
      const invalid = await collect(
        provider.streamChat(chatRequest(setup.model), { signal: signal() }),
      );
      expect(auth.error).toMatchObject({ kind: 'auth', retryable: false });
      expect(invalid.error).toMatchObject({ kind: 'invalid_request', retryable: false });
    });

    it('ends with a connection error, keeping what streamed, when the socket resets mid-stream', async () => {
      fake.enqueue({ chunks: ['One', ' two', ' three'], resetAfterChunks: 2 });
      const outcome = await collect(
        provider.streamChat(chatRequest(setup.model), { signal: signal() }),
      );
      expect(outcome.deltas).toEqual(['One', ' two']);
      expect(outcome.done).toBeUndefined();
      expect(outcome.error?.kind).toBe('connection');
    });

    it('ends with bad_response, not a crash, on a malformed chunk', async () => {
      fake.enqueue({ chunks: ['Fine', ' then'], malformedAfterChunks: 1 });
      const outcome = await collect(
        provider.streamChat(chatRequest(setup.model), { signal: signal() }),
      );
      expect(outcome.deltas).toEqual(['Fine']);
      expect(outcome.error?.kind).toBe('bad_response');
    });

    it("maps the vendor's in-stream error event", async () => {
      fake.enqueue({ chunks: ['Half', ' way'], errorEventAfterChunks: 1 });
      const outcome = await collect(
        provider.streamChat(chatRequest(setup.model), { signal: signal() }),
      );
      expect(outcome.deltas).toEqual(['Half']);
      expect(outcome.error?.kind).toBe(setup.streamErrorKind);
    });

    it('stops promptly with aborted when the signal fires during a stalled stream', async () => {
      fake.enqueue({ chunks: ['Wait', ' for', ' it'], stallAfterChunks: 1 });
      const controller = new AbortController();
      const started = Date.now();
      const outcome = collect(
        provider.streamChat(chatRequest(setup.model), { signal: controller.signal }),
      );
      setTimeout(() => controller.abort(), 100);
      const result = await outcome;
      expect(result.deltas).toEqual(['Wait']);
      expect(result.error?.kind).toBe('aborted');
      expect(Date.now() - started).toBeLessThan(1_500);
    });

    it('times out when response headers take longer than the connect timeout', async () => {
      provider = setup.create({ apiKey: 'test-key', baseUrl: fake.baseUrl, connectTimeoutMs: 100 });
      fake.enqueue({ headersDelayMs: 600 });
      const outcome = await collect(
        provider.streamChat(chatRequest(setup.model), { signal: signal() }),
      );
      expect(outcome.error?.kind).toBe('timeout');
    });

    // OpenAI-compatible servers run without a key, so the check only exists where one is needed.
    if (setup.requiresKey) {
      it('reports a missing key as auth without calling the vendor', async () => {
        provider = setup.create({ baseUrl: fake.baseUrl, connectTimeoutMs: 2_000 });
        const outcome = await collect(
          provider.streamChat(chatRequest(setup.model), { signal: signal() }),
        );
        expect(outcome.error?.kind).toBe('auth');
        expect(fake.calls).toHaveLength(0);
      });
    }

    it('round-trips a structured answer with the vendor usage', async () => {
      fake.enqueue({
        structured: { isNewProblem: true, difficulty: 3 },
        usage: { inputTokens: 30, outputTokens: 9 },
      });
      const result = await provider.generateStructured(
        { ...chatRequest(setup.model), schema: classificationSchema },
        { signal: signal() },
      );
      expect(result).toEqual({
        value: { isNewProblem: true, difficulty: 3 },
        usage: { inputTokens: 30, outputTokens: 9 },
      });
    });

    it('rejects a structured answer that does not match the schema as bad_response with usage', async () => {
      fake.enqueue({
        structured: { isNewProblem: 'maybe' },
        usage: { inputTokens: 30, outputTokens: 4 },
      });
      const failure = await provider
        .generateStructured(
          { ...chatRequest(setup.model), schema: classificationSchema },
          { signal: signal() },
        )
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ProviderError);
      expect(failure).toMatchObject({
        kind: 'bad_response',
        options: { usage: { inputTokens: 30, outputTokens: 4 } },
      });
    });

    it('maps a structured call answered with 429 to rate_limited', async () => {
      fake.enqueue({ error: { status: 429, retryAfter: '2' } });
      const failure = await provider
        .generateStructured(
          { ...chatRequest(setup.model), schema: classificationSchema },
          { signal: signal() },
        )
        .catch((error: unknown) => error);
      expect(failure).toMatchObject({ kind: 'rate_limited', options: { retryAfterMs: 2000 } });
    });
  });
}
