import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeServer } from '../../test/fake-providers/index.js';
import {
  chatRequest,
  classificationSchema,
  collect,
  describeProviderContract,
} from '../../test/fake-providers/provider-contract.js';
import { createAnthropicProvider } from './anthropic.js';

describeProviderContract('Anthropic', {
  start: startFakeAnthropic,
  create: (settings) => createAnthropicProvider(settings),
  model: 'claude-haiku-4-5',
  overloadedStatus: 529,
  requiresKey: true,
  streamErrorKind: 'overloaded',
});

describe('Anthropic requests', () => {
  let fake: FakeServer;
  beforeAll(async () => {
    fake = await startFakeAnthropic();
  });
  afterAll(async () => fake.close());

  it('streams through the Messages API with the key, system prompt and token limit', async () => {
    const provider = createAnthropicProvider({
      apiKey: 'sk-ant-test',
      baseUrl: fake.baseUrl,
      connectTimeoutMs: 2_000,
    });
    await collect(
      provider.streamChat(chatRequest('claude-haiku-4-5'), {
        signal: new AbortController().signal,
      }),
    );
    const call = fake.calls.at(-1)!;
    expect(call.path).toBe('/v1/messages');
    // This SDK version sends the key as a bearer token; older ones used x-api-key.
    expect(call.headers['x-api-key'] ?? call.headers.authorization).toMatch(/sk-ant-test$/);
    expect(call.body).toMatchObject({
      model: 'claude-haiku-4-5',
      stream: true,
      max_tokens: 256,
      system: 'You are a patient tutor.',
      messages: [
        { role: 'user' },
        { role: 'assistant' },
        { role: 'user', content: 'Nothing, I think.' },
      ],
    });
  });

  it('asks for structured output with a forced tool whose schema is ours', async () => {
    const provider = createAnthropicProvider({
      apiKey: 'k',
      baseUrl: fake.baseUrl,
      connectTimeoutMs: 2_000,
    });
    fake.enqueue({ structured: { isNewProblem: false, difficulty: 2 } });
    await provider.generateStructured(
      { ...chatRequest('claude-haiku-4-5'), schema: classificationSchema },
      { signal: new AbortController().signal },
    );
    expect(fake.calls.at(-1)!.body).toMatchObject({
      tools: [{ name: 'classify_turn', input_schema: classificationSchema.jsonSchema }],
      tool_choice: { type: 'tool', name: 'classify_turn' },
    });
  });
});
