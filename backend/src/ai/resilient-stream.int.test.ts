import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  startFakeAnthropic,
  startFakeGemini,
  startFakeOpenAI,
  type FakeServer,
} from '../test/fake-providers/index.js';
import { AllProvidersFailedError, TurnInterruptedError } from './fallback-errors.js';
import { createAnthropicProvider } from './providers/anthropic.js';
import { createGoogleProvider } from './providers/google.js';
import { createOpenAIProvider } from './providers/openai.js';
import {
  streamWithFallback,
  type CallRecord,
  type FallbackEvent,
  type StreamFallbackOptions,
} from './resilient-stream.js';

/** The resilience layer driving the real SDKs against their fake servers. */
describe('streamWithFallback with real SDKs', () => {
  let anthropic: FakeServer;
  let openai: FakeServer;
  let gemini: FakeServer;
  let calls: CallRecord[];
  let sleeps: number[];

  beforeAll(async () => {
    [anthropic, openai, gemini] = await Promise.all([
      startFakeAnthropic(),
      startFakeOpenAI(),
      startFakeGemini(),
    ]);
  });
  afterAll(async () => Promise.all([anthropic.close(), openai.close(), gemini.close()]));
  beforeEach(() => {
    for (const fake of [anthropic, openai, gemini]) fake.reset();
    calls = [];
    sleeps = [];
  });

  const chain = () => {
    const settings = (fake: FakeServer) => ({
      apiKey: 'test-key',
      baseUrl: fake.baseUrl,
      connectTimeoutMs: 2_000,
    });
    return [
      { provider: createAnthropicProvider(settings(anthropic)), model: 'claude-haiku-4-5' },
      { provider: createOpenAIProvider(settings(openai)), model: 'gpt-5-mini' },
      { provider: createGoogleProvider(settings(gemini)), model: 'gemini-2.5-flash' },
    ];
  };
  const options = (overrides: Partial<StreamFallbackOptions> = {}): StreamFallbackOptions => ({
    signal: new AbortController().signal,
    purpose: 'answer',
    maxRetries: 0,
    firstTokenMs: 2_000,
    tokenGapMs: 2_000,
    onCall: (record) => calls.push(record),
    sleep: async (ms) => void sleeps.push(ms),
    ...overrides,
  });
  const request = {
    system: 'Tutor.',
    messages: [{ role: 'user' as const, content: 'Hi' }],
    maxOutputTokens: 128,
  };

  async function run(overrides?: Partial<StreamFallbackOptions>) {
    const events: FallbackEvent[] = [];
    let error: unknown;
    try {
      for await (const event of streamWithFallback(chain(), request, options(overrides)))
        events.push(event);
    } catch (caught) {
      error = caught;
    }
    const text = events.map((event) => (event.type === 'delta' ? event.text : '')).join('');
    return { events, text, error };
  }

  it('retries Anthropic after the retry-after of a 429, then streams its answer', async () => {
    anthropic.enqueue({ error: { status: 429, retryAfter: '1' } }, { chunks: ['Second', ' try'] });
    const { text, error } = await run({ maxRetries: 1 });
    expect(error).toBeUndefined();
    expect(text).toBe('Second try');
    expect(sleeps).toEqual([1_000]);
    expect(anthropic.calls).toHaveLength(2);
    expect(calls.map((call) => call.outcome)).toEqual(['error', 'ok']);
  });

  it('falls back from a 500 on Anthropic to OpenAI, counting both calls', async () => {
    anthropic.enqueue({ error: { status: 500 } });
    openai.enqueue({ chunks: ['From', ' OpenAI'], usage: { inputTokens: 21, outputTokens: 2 } });
    const { text, events } = await run();
    expect(text).toBe('From OpenAI');
    expect(events.at(-1)).toMatchObject({
      type: 'done',
      provider: 'openai',
      usage: { inputTokens: 21, outputTokens: 2 },
    });
    expect(calls.map((call) => [call.provider, call.outcome, call.error?.kind])).toEqual([
      ['anthropic', 'error', 'server'],
      ['openai', 'ok', undefined],
    ]);
  });

  it('does not retry or fall back after a reset mid-stream, keeping the partial answer', async () => {
    anthropic.enqueue({
      chunks: ['Half', ' an', ' answer'],
      resetAfterChunks: 2,
      usage: { inputTokens: 15 },
    });
    const { text, error } = await run({ maxRetries: 2 });
    expect(text).toBe('Half an');
    expect(error).toBeInstanceOf(TurnInterruptedError);
    expect((error as TurnInterruptedError).usage?.inputTokens).toBe(15);
    expect(anthropic.calls).toHaveLength(1);
    expect(openai.calls).toHaveLength(0);
    expect(calls).toEqual([
      expect.objectContaining({ provider: 'anthropic', outcome: 'interrupted' }),
    ]);
  });

  it('falls back to Gemini when OpenAI stalls before its first token', async () => {
    anthropic.enqueue({ error: { status: 529 } });
    openai.enqueue({ stallAfterChunks: 0 });
    gemini.enqueue({ chunks: ['Gemini', ' here'] });
    const { text, error } = await run({ firstTokenMs: 150 });
    expect(error).toBeUndefined();
    expect(text).toBe('Gemini here');
    expect(calls.map((call) => call.error?.kind ?? call.outcome)).toEqual([
      'overloaded',
      'timeout',
      'ok',
    ]);
  });

  it('ends with AllProvidersFailedError when every vendor fails before answering', async () => {
    anthropic.enqueue({ error: { status: 401 } });
    openai.enqueue({ chunks: ['x'], malformedAfterChunks: 0 });
    gemini.enqueue({ error: { status: 503 } });
    const { text, error } = await run();
    expect(text).toBe('');
    expect(error).toBeInstanceOf(AllProvidersFailedError);
    expect((error as AllProvidersFailedError).attempts.map((attempt) => attempt.kind)).toEqual([
      'auth',
      'bad_response',
      'overloaded',
    ]);
  });
});
