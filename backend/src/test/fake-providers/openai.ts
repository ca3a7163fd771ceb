import { sse, startFakeServer, type StartOptions, type VendorRenderer } from './fake-server.js';

/**
 * OpenAI Chat Completions: POST /v1/chat/completions. Streams `data: {chat.completion.chunk}`
 * lines (a role chunk, content deltas, a finish_reason chunk, then — when the request asked for
 * `stream_options.include_usage` — a usage chunk with empty `choices`) and ends with
 * `data: [DONE]`. Structured calls (response_format json_schema) get the script's `structured`
 * value as JSON text in `message.content`.
 */
const ERROR_CODES: Record<number, { type: string; code: string | null }> = {
  400: { type: 'invalid_request_error', code: null },
  401: { type: 'invalid_request_error', code: 'invalid_api_key' },
  404: { type: 'invalid_request_error', code: 'model_not_found' },
  429: { type: 'requests', code: 'rate_limit_exceeded' },
  500: { type: 'server_error', code: null },
  503: { type: 'server_error', code: null },
};

const model = (body: Record<string, unknown>) =>
  typeof body.model === 'string' ? body.model : 'gpt-fake';
const chunkOf = (
  body: Record<string, unknown>,
  choices: unknown[],
  extra: Record<string, unknown> = {},
) => ({
  id: 'chatcmpl-fake',
  object: 'chat.completion.chunk',
  created: 1_760_000_000,
  model: model(body),
  system_fingerprint: 'fp_fake',
  choices,
  ...extra,
});
const usageOf = (ctx: { inputTokens: number; outputTokens: number }) => ({
  prompt_tokens: ctx.inputTokens,
  completion_tokens: ctx.outputTokens,
  total_tokens: ctx.inputTokens + ctx.outputTokens,
});

export const openaiRenderer: VendorRenderer = {
  name: 'openai',
  isStreaming: (_path, body) => body.stream === true,
  errorBody: (status, message) => ({
    error: {
      message,
      param: null,
      ...(ERROR_CODES[status] ?? { type: 'server_error', code: null }),
    },
  }),
  start: (ctx) =>
    sse(
      chunkOf(ctx.body, [
        { index: 0, delta: { role: 'assistant', content: '', refusal: null }, finish_reason: null },
      ]),
    ),
  chunk: (ctx, text) =>
    sse(chunkOf(ctx.body, [{ index: 0, delta: { content: text }, finish_reason: null }])),
  end: (ctx) => {
    const includeUsage = (ctx.body.stream_options as { include_usage?: boolean } | undefined)
      ?.include_usage;
    const finish = ctx.script.stopAtMaxTokens ? 'length' : 'stop';
    return (
      sse(chunkOf(ctx.body, [{ index: 0, delta: {}, finish_reason: finish }])) +
      (includeUsage ? sse(chunkOf(ctx.body, [], { usage: usageOf(ctx) })) : '') +
      sse('[DONE]')
    );
  },
  malformed: () =>
    sse('{"id":"chatcmpl-fake","object":"chat.completion.chunk","choices":[{"delta":'),
  errorEvent: () =>
    sse({
      error: {
        message: 'The server had an error while processing your request.',
        type: 'server_error',
      },
    }),
  unary: (ctx) => ({
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: 1_760_000_000,
    model: model(ctx.body),
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content:
            ctx.script.structured !== undefined
              ? JSON.stringify(ctx.script.structured)
              : ctx.chunks.join(''),
          refusal: null,
        },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: usageOf(ctx),
  }),
};

/** Base URL for the SDK: the origin plus /v1, as OPENAI_BASE_URL would be for Ollama or vLLM. */
export const startFakeOpenAI = (options?: StartOptions) =>
  startFakeServer(openaiRenderer, '/v1', options);
