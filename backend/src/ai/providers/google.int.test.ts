import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGemini, type FakeServer } from '../../test/fake-providers/index.js';
import {
  chatRequest,
  classificationSchema,
  collect,
  describeProviderContract,
} from '../../test/fake-providers/provider-contract.js';
import { createGoogleProvider } from './google.js';

describeProviderContract('Google', {
  start: startFakeGemini,
  create: (settings) => createGoogleProvider(settings),
  model: 'gemini-2.5-flash',
  overloadedStatus: 503,
  requiresKey: true,
  streamErrorKind: 'overloaded',
});

describe('Gemini requests', () => {
  let fake: FakeServer;
  beforeAll(async () => {
    fake = await startFakeGemini();
  });
  afterAll(async () => fake.close());

  it('streams over SSE with the system instruction, model roles and thinking off for flash', async () => {
    const provider = createGoogleProvider({
      apiKey: 'AIza-test',
      baseUrl: fake.baseUrl,
      connectTimeoutMs: 2_000,
    });
    await collect(
      provider.streamChat(chatRequest('gemini-2.5-flash'), {
        signal: new AbortController().signal,
      }),
    );
    const call = fake.calls.at(-1)!;
    expect(call.path).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    expect(call.headers['x-goog-api-key']).toBe('AIza-test');
    expect(call.body).toMatchObject({
      contents: [
        { role: 'user' },
        { role: 'model' },
        { role: 'user', parts: [{ text: 'Nothing, I think.' }] },
      ],
      systemInstruction: { parts: [{ text: 'You are a patient tutor.' }] },
      generationConfig: { maxOutputTokens: 256, thinkingConfig: { thinkingBudget: 0 } },
    });
  });

  it('reads the retry delay from the RetryInfo body when no header is sent', async () => {
    const provider = createGoogleProvider({
      apiKey: 'k',
      baseUrl: fake.baseUrl,
      connectTimeoutMs: 2_000,
    });
    fake.enqueue({ error: { status: 429, retryAfter: '7' } });
    const outcome = await collect(
      provider.streamChat(chatRequest('gemini-2.5-flash'), {
        signal: new AbortController().signal,
      }),
    );
    expect(outcome.error).toMatchObject({ kind: 'rate_limited', options: { retryAfterMs: 7000 } });
  });

  it('asks for JSON with our schema for structured output', async () => {
    const provider = createGoogleProvider({
      apiKey: 'k',
      baseUrl: fake.baseUrl,
      connectTimeoutMs: 2_000,
    });
    fake.enqueue({ structured: { isNewProblem: true, difficulty: 2 } });
    await provider.generateStructured(
      { ...chatRequest('gemini-2.5-flash-lite'), schema: classificationSchema },
      { signal: new AbortController().signal },
    );
    const call = fake.calls.at(-1)!;
    expect(call.path).toBe('/v1beta/models/gemini-2.5-flash-lite:generateContent');
    expect(call.body).toMatchObject({
      generationConfig: {
        responseMimeType: 'application/json',
        responseJsonSchema: classificationSchema.jsonSchema,
      },
    });
  });
});
