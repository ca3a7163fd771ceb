import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  promptTokensOf,
  startFakeOpenAI,
  type FakeServer,
} from '../../test/fake-providers/index.js';
import {
  chatRequest,
  classificationSchema,
  collect,
  describeProviderContract,
} from '../../test/fake-providers/provider-contract.js';
import { createOpenAIProvider } from './openai.js';

describeProviderContract('OpenAI', {
  start: startFakeOpenAI,
  create: (settings) => createOpenAIProvider(settings),
  model: 'gpt-5-mini',
  overloadedStatus: 503,
  requiresKey: false,
  streamErrorKind: 'server',
});

describe('OpenAI requests', () => {
  let fake: FakeServer;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
  });
  afterAll(async () => fake.close());

  it('streams chat completions asking for usage, with the system prompt first', async () => {
    const provider = createOpenAIProvider({
      apiKey: 'sk-test',
      baseUrl: fake.baseUrl,
      connectTimeoutMs: 2_000,
    });
    await collect(
      provider.streamChat(chatRequest('gpt-5-mini'), { signal: new AbortController().signal }),
    );
    const call = fake.calls.at(-1)!;
    expect(call.path).toBe('/v1/chat/completions');
    expect(call.headers.authorization).toBe('Bearer sk-test');
    expect(call.body).toMatchObject({
      model: 'gpt-5-mini',
      stream: true,
      stream_options: { include_usage: true },
      max_completion_tokens: 256,
      messages: [
        { role: 'system', content: 'You are a patient tutor.' },
        { role: 'user' },
        { role: 'assistant' },
        { role: 'user' },
      ],
    });
  });

  it('sends max_tokens to a local OpenAI-compatible model and needs no key', async () => {
    const provider = createOpenAIProvider({ baseUrl: fake.baseUrl, connectTimeoutMs: 2_000 });
    const outcome = await collect(
      provider.streamChat(chatRequest('llama3.1:8b'), { signal: new AbortController().signal }),
    );
    const sent = fake.calls.at(-1)!.body;
    expect(outcome.done?.usage).toEqual({ inputTokens: promptTokensOf(sent), outputTokens: 4 });
    expect(sent).toMatchObject({ model: 'llama3.1:8b', max_tokens: 256 });
  });

  it('asks for structured output with a strict json_schema response format', async () => {
    const provider = createOpenAIProvider({
      apiKey: 'k',
      baseUrl: fake.baseUrl,
      connectTimeoutMs: 2_000,
    });
    fake.enqueue({ structured: { isNewProblem: true, difficulty: 1 } });
    await provider.generateStructured(
      { ...chatRequest('gpt-5-nano'), schema: classificationSchema },
      { signal: new AbortController().signal },
    );
    expect(fake.calls.at(-1)!.body).toMatchObject({
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'classify_turn',
          strict: true,
          schema: classificationSchema.jsonSchema,
        },
      },
    });
  });
});
