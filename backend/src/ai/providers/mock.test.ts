import { describe, expect, it } from 'vitest';
import { ProviderError, type ChatStreamEvent } from '../types.js';
import { createMockProvider, DEMO_ANSWER } from './mock.js';
import { neutralValue } from './neutral-value.js';

const request = {
  model: 'demo-tutor',
  system: 'Be kind.',
  messages: [{ role: 'user' as const, content: 'Help me please' }],
  maxOutputTokens: 64,
};
const signal = () => new AbortController().signal;

async function drain(stream: AsyncIterable<ChatStreamEvent>) {
  const events: ChatStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

describe('mock provider', () => {
  it('streams the demo answer word by word, saying it is a demo, counting words as tokens', async () => {
    const events = await drain(createMockProvider().streamChat(request, { signal: signal() }));
    const text = events.map((event) => (event.type === 'delta' ? event.text : '')).join('');
    expect(text).toBe(DEMO_ANSWER);
    expect(text).toMatch(/^\(Demo tutor — no AI provider is connected\.\)/);
    expect(events.at(-1)).toEqual({
      type: 'done',
      usage: { inputTokens: 5, outputTokens: DEMO_ANSWER.split(' ').length },
      stopReason: 'end',
    });
  });

  it('plays scripts in order, then the default', async () => {
    const mock = createMockProvider();
    mock.enqueue({ failBeforeFirstToken: 'rate_limited', retryAfterMs: 2_000 }, { text: 'second' });
    mock.setDefault({ text: 'default' });
    await expect(drain(mock.streamChat(request, { signal: signal() }))).rejects.toMatchObject({
      kind: 'rate_limited',
      options: { retryAfterMs: 2_000 },
    });
    expect((await drain(mock.streamChat(request, { signal: signal() })))[0]).toEqual({
      type: 'delta',
      text: 'second',
    });
    expect((await drain(mock.streamChat(request, { signal: signal() })))[0]).toEqual({
      type: 'delta',
      text: 'default',
    });
    expect(mock.calls).toHaveLength(3);
  });

  it('fails after N tokens with partial usage', async () => {
    const mock = createMockProvider();
    mock.enqueue({ text: 'a b c', failAfterTokens: 2, kind: 'server' });
    const events: ChatStreamEvent[] = [];
    const failure = await (async () => {
      for await (const event of mock.streamChat(request, { signal: signal() })) events.push(event);
    })().catch((error: unknown) => error);
    expect(events).toHaveLength(2);
    expect(failure).toMatchObject({
      kind: 'server',
      options: { usage: { inputTokens: 5, outputTokens: 2 } },
    });
  });

  it('stalls until aborted', async () => {
    const mock = createMockProvider();
    mock.enqueue({ stallAfterTokens: 0 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const failure = await drain(mock.streamChat(request, { signal: controller.signal })).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ProviderError);
    expect((failure as ProviderError).kind).toBe('aborted');
  });

  it('answers structured requests with a scripted value or a neutral one, parsed by the schema', async () => {
    const mock = createMockProvider();
    const schema = {
      name: 'classify',
      jsonSchema: {
        type: 'object',
        properties: {
          relation: { type: 'string', enum: ['same_problem', 'new_problem'] },
          difficulty: { type: 'integer', minimum: 1 },
          wantsMore: { type: 'boolean' },
        },
      },
      parse: (value: unknown) =>
        value as { relation: string; difficulty: number; wantsMore: boolean },
    };
    mock.enqueue({ structured: { relation: 'new_problem', difficulty: 4, wantsMore: true } });
    const scripted = await mock.generateStructured({ ...request, schema }, { signal: signal() });
    const neutral = await mock.generateStructured({ ...request, schema }, { signal: signal() });
    expect(scripted.value).toEqual({ relation: 'new_problem', difficulty: 4, wantsMore: true });
    expect(neutral.value).toEqual({ relation: 'same_problem', difficulty: 1, wantsMore: false });
    expect(neutral.usage.inputTokens).toBe(5);
  });

  it('keeps a script marked for one kind of call for that kind, whichever call comes first', async () => {
    const mock = createMockProvider();
    const schema = {
      name: 'classify',
      jsonSchema: { type: 'object', properties: { wantsMore: { type: 'boolean' } } },
      parse: (value: unknown) => value as { wantsMore: boolean },
    };
    mock.enqueue({ for: 'structured', structured: { wantsMore: true } }, { text: 'answer' });
    // The answer's call reaches the provider before the classification beside it.
    const events = await drain(mock.streamChat(request, { signal: signal() }));
    expect(events[0]).toEqual({ type: 'delta', text: 'answer' });
    const classified = await mock.generateStructured({ ...request, schema }, { signal: signal() });
    expect(classified.value).toEqual({ wantsMore: true });
  });

  it('reports a value the schema rejects as bad_response', async () => {
    const mock = createMockProvider();
    mock.enqueue({ structured: 'nonsense' });
    const schema = {
      name: 's',
      jsonSchema: { type: 'object' },
      parse: () => {
        throw new Error('no');
      },
    };
    await expect(
      mock.generateStructured({ ...request, schema }, { signal: signal() }),
    ).rejects.toMatchObject({ kind: 'bad_response' });
  });
});

describe('neutralValue', () => {
  it('builds the blandest value a schema allows', () => {
    expect(neutralValue({ type: 'array' })).toEqual([]);
    expect(neutralValue({ type: ['string', 'null'] })).toBe('');
    expect(neutralValue({ const: 'x' })).toBe('x');
  });
});
