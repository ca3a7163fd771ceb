import { sse, startFakeServer, type StartOptions, type VendorRenderer } from './fake-server.js';

/**
 * Anthropic Messages API: POST /v1/messages. Streams named SSE events — message_start (input
 * tokens), content_block_start, content_block_delta/text_delta, content_block_stop, message_delta
 * (stop reason, cumulative output tokens), message_stop. Structured calls (forced tool_choice)
 * get a tool_use block whose input is the script's `structured` value.
 */
const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

const model = (body: Record<string, unknown>) =>
  typeof body.model === 'string' ? body.model : 'claude-fake';

export const anthropicRenderer: VendorRenderer = {
  name: 'anthropic',
  isStreaming: (_path, body) => body.stream === true,
  errorBody: (status, message) => ({
    type: 'error',
    error: { type: ERROR_TYPES[status] ?? 'api_error', message },
    request_id: 'req_fake',
  }),
  start: (ctx) =>
    sse(
      {
        type: 'message_start',
        message: {
          id: 'msg_fake',
          type: 'message',
          role: 'assistant',
          model: model(ctx.body),
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: ctx.inputTokens, output_tokens: 1 },
        },
      },
      'message_start',
    ) +
    sse(
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      'content_block_start',
    ) +
    sse({ type: 'ping' }, 'ping'),
  chunk: (_ctx, text) =>
    sse(
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } },
      'content_block_delta',
    ),
  end: (ctx) =>
    sse({ type: 'content_block_stop', index: 0 }, 'content_block_stop') +
    sse(
      {
        type: 'message_delta',
        delta: {
          stop_reason: ctx.script.stopAtMaxTokens ? 'max_tokens' : 'end_turn',
          stop_sequence: null,
        },
        usage: { output_tokens: ctx.outputTokens },
      },
      'message_delta',
    ) +
    sse({ type: 'message_stop' }, 'message_stop'),
  malformed: () =>
    sse('{"type":"content_block_delta","index":0,"delta":{"type":"text_del', 'content_block_delta'),
  errorEvent: () =>
    sse({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, 'error'),
  unary: (ctx) => {
    const toolChoice = ctx.body.tool_choice as { type?: string; name?: string } | undefined;
    const content =
      toolChoice?.type === 'tool'
        ? [
            {
              type: 'tool_use',
              id: 'toolu_fake',
              name: toolChoice.name,
              input: ctx.script.structured ?? {},
            },
          ]
        : [{ type: 'text', text: ctx.chunks.join('') }];
    return {
      id: 'msg_fake',
      type: 'message',
      role: 'assistant',
      model: model(ctx.body),
      content,
      stop_reason: toolChoice?.type === 'tool' ? 'tool_use' : 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: ctx.inputTokens, output_tokens: ctx.outputTokens },
    };
  },
};

/** Base URL for the SDK: the origin (the SDK adds /v1/messages). */
export const startFakeAnthropic = (options?: StartOptions) =>
  startFakeServer(anthropicRenderer, '', options);
