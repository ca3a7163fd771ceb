import { describe, expect, it } from 'vitest';
import { createTestClock } from '../test/clock.js';
import { createCircuitBreakers } from './circuit-breaker.js';
import { AllProvidersFailedError, TurnInterruptedError } from './fallback-errors.js';
import { createMockProvider, type MockProvider } from './providers/mock.js';
import {
  generateStructuredWithFallback,
  streamWithFallback,
  type CallRecord,
  type FallbackEvent,
  type StreamFallbackOptions,
} from './resilient-stream.js';
import { ProviderError, type StructuredSchema } from './types.js';

const request = {
  system: 'Be brief.',
  messages: [{ role: 'user' as const, content: 'Help me' }],
  maxOutputTokens: 100,
};

function setup(overrides: Partial<StreamFallbackOptions> = {}) {
  const primary = createMockProvider({ name: 'anthropic' });
  const backup = createMockProvider({ name: 'openai' });
  const calls: CallRecord[] = [];
  const sleeps: number[] = [];
  const options: StreamFallbackOptions = {
    signal: new AbortController().signal,
    purpose: 'answer',
    maxRetries: 0,
    firstTokenMs: 1_000,
    tokenGapMs: 1_000,
    onCall: (record) => calls.push(record),
    sleep: async (ms) => void sleeps.push(ms),
    retry: { random: () => 0.5 },
    ...overrides,
  };
  const chain = [
    { provider: primary as MockProvider, model: 'claude-haiku-4-5' },
    { provider: backup as MockProvider, model: 'gpt-5-mini' },
  ];
  return { primary, backup, calls, sleeps, options, chain };
}

async function run(stream: AsyncIterable<FallbackEvent>) {
  const events: FallbackEvent[] = [];
  try {
    for await (const event of stream) events.push(event);
    return { events, text: textOf(events) };
  } catch (error) {
    return { events, text: textOf(events), error };
  }
}
const textOf = (events: FallbackEvent[]) =>
  events.map((event) => (event.type === 'delta' ? event.text : '')).join('');

describe('streamWithFallback', () => {
  it('leaves a completed call alone and cancels one whose reader stopped mid-answer', async () => {
    const { primary, chain, options } = setup();
    const signals: AbortSignal[] = [];
    const watched = {
      ...primary,
      streamChat: (...args: Parameters<MockProvider['streamChat']>) => {
        signals.push(args[1].signal);
        return primary.streamChat(...args);
      },
    };
    const watchedChain = [{ ...chain[0]!, provider: watched }];
    primary.enqueue({ text: 'Look at i' }, { text: 'Look at the loop again' });
    // Read to `done` and stopped there, as the turn does.
    for await (const event of streamWithFallback(watchedChain, request, options)) {
      if (event.type === 'done') break;
    }
    expect(signals[0]!.aborted).toBe(false);
    for await (const event of streamWithFallback(watchedChain, request, options)) {
      if (event.type === 'delta') break;
    }
    expect(signals[1]!.aborted).toBe(true);
  });

  it('streams the first provider and reports its call with usage', async () => {
    const { primary, chain, options, calls } = setup();
    primary.enqueue({ text: 'Look at i', usage: { inputTokens: 12 } });
    const { events, text, error } = await run(streamWithFallback(chain, request, options));
    expect(error).toBeUndefined();
    expect(text).toBe('Look at i');
    expect(events[0]).toEqual({
      type: 'attempt',
      provider: 'anthropic',
      model: 'claude-haiku-4-5',
      attempt: 0,
    });
    expect(events.at(-1)).toMatchObject({
      type: 'done',
      provider: 'anthropic',
      usage: { inputTokens: 12, outputTokens: 3 },
    });
    expect(calls).toEqual([
      expect.objectContaining({
        provider: 'anthropic',
        outcome: 'ok',
        purpose: 'answer',
        usage: { inputTokens: 12, outputTokens: 3 },
      }),
    ]);
  });

  it('falls back to the next provider when the first answers 429 before any token', async () => {
    const { primary, backup, chain, options, calls } = setup();
    primary.enqueue({ failBeforeFirstToken: 'rate_limited', status: 429 });
    backup.enqueue({ text: 'From backup' });
    const { events, text, error } = await run(streamWithFallback(chain, request, options));
    expect(error).toBeUndefined();
    expect(text).toBe('From backup');
    expect(
      events.filter((event) => event.type === 'attempt').map((event) => event.provider),
    ).toEqual(['anthropic', 'openai']);
    expect(calls.map((call) => [call.provider, call.outcome, call.error?.kind])).toEqual([
      ['anthropic', 'error', 'rate_limited'],
      ['openai', 'ok', undefined],
    ]);
  });

  it('retries the same provider with exponential full-jitter backoff before falling back', async () => {
    const { primary, backup, chain, options, sleeps } = setup({ maxRetries: 2 });
    primary.enqueue(
      { failBeforeFirstToken: 'server' },
      { failBeforeFirstToken: 'server' },
      { text: 'Third time' },
    );
    const { text } = await run(streamWithFallback(chain, request, options));
    expect(text).toBe('Third time');
    expect(sleeps).toEqual([250, 500]); // random 0.5 × 500 ms, then × 1000 ms
    expect(backup.calls).toHaveLength(0);
  });

  it("waits for the vendor's retry-after, and skips to the next provider when it is too long", async () => {
    const first = setup({ maxRetries: 1 });
    first.primary.enqueue(
      { failBeforeFirstToken: 'rate_limited', retryAfterMs: 3_000 },
      { text: 'ok' },
    );
    await run(streamWithFallback(first.chain, request, first.options));
    expect(first.sleeps).toEqual([3_000]);

    const second = setup({ maxRetries: 1 });
    second.primary.enqueue({ failBeforeFirstToken: 'rate_limited', retryAfterMs: 60_000 });
    const { text } = await run(streamWithFallback(second.chain, request, second.options));
    expect(second.sleeps).toEqual([]);
    expect(text).toContain('Demo tutor');
    expect(second.backup.calls).toHaveLength(1);
  });

  it('goes straight to the next provider on a non-retryable error', async () => {
    const { primary, backup, chain, options, sleeps } = setup({ maxRetries: 3 });
    primary.enqueue({ failBeforeFirstToken: 'auth', status: 401 });
    await run(streamWithFallback(chain, request, options));
    expect(primary.calls).toHaveLength(1);
    expect(backup.calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('never retries after visible tokens: the turn ends interrupted with the partial text and usage', async () => {
    const { primary, backup, chain, options, calls } = setup({ maxRetries: 2 });
    primary.enqueue({ text: 'one two three four', failAfterTokens: 2, kind: 'connection' });
    const { text, error } = await run(streamWithFallback(chain, request, options));
    expect(text).toBe('one two');
    expect(error).toBeInstanceOf(TurnInterruptedError);
    const interrupted = error as TurnInterruptedError;
    expect(interrupted.partialText).toBe('one two');
    expect(interrupted.usage).toEqual({ inputTokens: 4, outputTokens: 2 });
    expect(interrupted.cause.kind).toBe('connection');
    expect(primary.calls).toHaveLength(1);
    expect(backup.calls).toHaveLength(0);
    expect(calls).toEqual([
      expect.objectContaining({
        outcome: 'interrupted',
        usage: { inputTokens: 4, outputTokens: 2 },
      }),
    ]);
  });

  it('gives up on a provider that sends no first token in time and falls back', async () => {
    const { primary, chain, options, calls } = setup({ firstTokenMs: 50 });
    primary.enqueue({ stallAfterTokens: 0 });
    const started = Date.now();
    const { text, error } = await run(streamWithFallback(chain, request, options));
    expect(error).toBeUndefined();
    expect(text).toContain('Demo tutor');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(calls[0]).toMatchObject({
      provider: 'anthropic',
      outcome: 'error',
      error: { kind: 'timeout' },
    });
  });

  it('ends the turn interrupted when the gap between tokens is too long', async () => {
    const { primary, chain, options, calls } = setup({ tokenGapMs: 50 });
    primary.enqueue({ text: 'alpha beta gamma delta', stallAfterTokens: 2 });
    const { text, error } = await run(streamWithFallback(chain, request, options));
    expect(text).toBe('alpha beta');
    expect(error).toBeInstanceOf(TurnInterruptedError);
    expect((error as TurnInterruptedError).cause.kind).toBe('timeout');
    // Anthropic had only sent message_start (input, 1 output token): the output is estimated
    // from the text received (10 characters → 3 tokens) and flagged.
    expect((error as TurnInterruptedError).usage).toEqual({ inputTokens: 4, outputTokens: 3 });
    expect(calls[0]).toMatchObject({ outcome: 'interrupted', isEstimate: true });
  });

  it('throws AllProvidersFailedError listing every attempt when nothing answered', async () => {
    const { primary, backup, chain, options, calls } = setup({ maxRetries: 1 });
    primary.setDefault({ failBeforeFirstToken: 'server', status: 500 });
    backup.setDefault({ failBeforeFirstToken: 'overloaded', status: 503 });
    const { error } = await run(streamWithFallback(chain, request, options));
    expect(error).toBeInstanceOf(AllProvidersFailedError);
    const failure = error as AllProvidersFailedError;
    expect(failure.attempts.map((attempt) => `${attempt.provider}:${attempt.kind}`)).toEqual([
      'anthropic:server',
      'anthropic:server',
      'openai:overloaded',
      'openai:overloaded',
    ]);
    expect(failure.lastError?.kind).toBe('overloaded');
    expect(calls).toHaveLength(4);
  });

  it('stops promptly with aborted when the caller aborts, without falling back', async () => {
    const controller = new AbortController();
    const { primary, backup, chain, options, calls } = setup({ signal: controller.signal });
    primary.enqueue({ text: 'x y z', stallAfterTokens: 1 });
    setTimeout(() => controller.abort(), 50);
    const { text, error } = await run(streamWithFallback(chain, request, options));
    expect(text).toBe('x');
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).kind).toBe('aborted');
    expect(backup.calls).toHaveLength(0);
    expect(calls).toEqual([
      expect.objectContaining({ outcome: 'aborted', usage: { inputTokens: 4, outputTokens: 1 } }),
    ]);
    expect(primary.calls).toHaveLength(1);
  });

  it('skips a provider whose circuit is open and lets one probe through after the cooldown', async () => {
    const clock = createTestClock();
    const breakers = createCircuitBreakers({ failureThreshold: 2, cooldownMs: 30_000 }, clock);
    const { primary, chain, options } = setup({ breakers });
    primary.setDefault({ failBeforeFirstToken: 'server' });
    const turn = () => run(streamWithFallback(chain, request, options));

    await turn();
    await turn();
    expect(primary.calls).toHaveLength(2);
    expect(breakers.statuses().anthropic).toMatchObject({
      state: 'open',
      consecutiveFailures: 2,
      lastErrorKind: 'server',
    });

    const skipped = await turn();
    expect(primary.calls).toHaveLength(2);
    expect(skipped.error).toBeUndefined();

    clock.advance(30_000);
    await turn(); // the probe fails: open again
    expect(primary.calls).toHaveLength(3);
    await turn();
    expect(primary.calls).toHaveLength(3);

    clock.advance(30_000);
    primary.setDefault({ text: 'back' });
    const recovered = await turn();
    expect(recovered.text).toBe('back');
    expect(breakers.statuses().anthropic).toMatchObject({
      state: 'closed',
      consecutiveFailures: 0,
    });
  });
});

const schema: StructuredSchema<{ level: number }> = {
  name: 'level',
  jsonSchema: {
    type: 'object',
    properties: { level: { type: 'integer', minimum: 1 } },
    required: ['level'],
  },
  parse: (value) => {
    const level = (value as { level?: unknown }).level;
    if (typeof level !== 'number') throw new Error('level must be a number');
    return { level };
  },
};

describe('generateStructuredWithFallback', () => {
  it('falls back after a failure and reports both calls', async () => {
    const { primary, backup, chain, options, calls } = setup();
    primary.enqueue({ failBeforeFirstToken: 'overloaded' });
    backup.enqueue({ structured: { level: 4 } });
    const result = await generateStructuredWithFallback(
      chain,
      { ...request, schema },
      { ...options, purpose: 'classification', timeoutMs: 1_000 },
    );
    expect(result).toMatchObject({ value: { level: 4 }, provider: 'openai', model: 'gpt-5-mini' });
    expect(calls.map((call) => [call.provider, call.outcome, call.purpose])).toEqual([
      ['anthropic', 'error', 'classification'],
      ['openai', 'ok', 'classification'],
    ]);
  });

  it('gives up at the overall timeout instead of waiting for a stalled provider', async () => {
    const { primary, chain, options, calls } = setup();
    primary.enqueue({ stallAfterTokens: 0 });
    const started = Date.now();
    const failure = await generateStructuredWithFallback(
      chain.slice(0, 1),
      { ...request, schema },
      { ...options, timeoutMs: 80 },
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AllProvidersFailedError);
    expect((failure as AllProvidersFailedError).lastError?.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(calls).toEqual([expect.objectContaining({ provider: 'anthropic', outcome: 'error' })]);
  });
});
