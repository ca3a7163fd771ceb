import Anthropic from '@anthropic-ai/sdk';
import {
  ProviderError,
  type ChatProvider,
  type ChatRequest,
  type ChatStreamEvent,
  type CallOptions,
  type ProviderErrorKind,
  type StructuredRequest,
  type StructuredResult,
  type TokenUsage,
} from '../types.js';
import {
  kindFromStatus,
  mapTransportError,
  parseRetryAfter,
  parseStructured,
  missingKey,
  truncatedStream,
  type ProviderDeps,
  type ProviderSettings,
} from './provider-errors.js';

/** Error types Anthropic sends in an SSE `error` event, where there is no HTTP status to read. */
const STREAM_ERROR_KINDS: Record<string, ProviderErrorKind> = {
  overloaded_error: 'overloaded',
  rate_limit_error: 'rate_limited',
  api_error: 'server',
  timeout_error: 'timeout',
  authentication_error: 'auth',
  permission_error: 'auth',
  invalid_request_error: 'invalid_request',
};

function toProviderError(error: unknown, signal: AbortSignal, usage?: TokenUsage): ProviderError {
  if (error instanceof ProviderError) return error;
  if (signal.aborted) return mapTransportError('anthropic', error, signal, usage);
  if (error instanceof Anthropic.APIConnectionTimeoutError) {
    return new ProviderError('anthropic', 'timeout', 'timed out waiting for response headers', {
      usage,
      cause: error,
    });
  }
  if (error instanceof Anthropic.APIError && error.status !== undefined) {
    return new ProviderError(
      'anthropic',
      kindFromStatus(error.status),
      `HTTP ${error.status} from Anthropic`,
      {
        status: error.status,
        retryAfterMs: parseRetryAfter(error.headers),
        usage,
        cause: error,
      },
    );
  }
  if (error instanceof Anthropic.APIError && error.type) {
    const kind = STREAM_ERROR_KINDS[error.type] ?? 'server';
    return new ProviderError('anthropic', kind, `stream error event: ${error.type}`, {
      usage,
      cause: error,
    });
  }
  return mapTransportError('anthropic', error, signal, usage);
}

function stopReason(reason: string | null | undefined): 'end' | 'max_tokens' | 'other' {
  if (reason === 'end_turn' || reason === 'stop_sequence') return 'end';
  if (reason === 'max_tokens') return 'max_tokens';
  return 'other';
}

/** Cache reads and writes are input the vendor bills; we count them as input tokens. */
function inputTokensOf(usage: {
  input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}): number {
  return (
    (usage.input_tokens ?? 0) +
    (usage.cache_creation_input_tokens ?? 0) +
    (usage.cache_read_input_tokens ?? 0)
  );
}

/** Claude through the official SDK; the SDK's own retries are off because ours know the chain. */
export function createAnthropicProvider(
  settings: ProviderSettings,
  deps: ProviderDeps = {},
): ChatProvider {
  const client = new Anthropic({
    apiKey: settings.apiKey ?? null,
    baseURL: settings.baseUrl,
    maxRetries: 0,
    // The SDK clears this timer once headers arrive, so it bounds connecting only.
    timeout: settings.connectTimeoutMs,
    fetch: deps.fetch,
    // The SDK logs unparsable chunks verbatim; ours are reported as ProviderError instead.
    logLevel: 'off',
  });

  async function* streamChat(
    request: ChatRequest,
    options: CallOptions,
  ): AsyncIterable<ChatStreamEvent> {
    if (!settings.apiKey) throw missingKey('anthropic');
    const usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
    let reason: string | null | undefined;
    let finished = false;
    try {
      const stream = await client.messages.create(
        {
          model: request.model,
          max_tokens: request.maxOutputTokens,
          ...(request.system ? { system: request.system } : {}),
          messages: request.messages.map((message) => ({
            role: message.role,
            content: message.content,
          })),
          ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
          stream: true,
        },
        { signal: options.signal },
      );
      for await (const event of stream) {
        if (event.type === 'message_start') {
          usage.inputTokens = inputTokensOf(event.message.usage);
          usage.outputTokens = event.message.usage.output_tokens ?? 0;
        } else if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
          if (event.delta.text) yield { type: 'delta', text: event.delta.text };
        } else if (event.type === 'message_delta') {
          // Counts in message_delta are cumulative for the whole message.
          usage.outputTokens = event.usage.output_tokens ?? usage.outputTokens;
          if (event.usage.input_tokens != null) usage.inputTokens = inputTokensOf(event.usage);
          reason = event.delta.stop_reason;
        } else if (event.type === 'message_stop') {
          finished = true;
        }
      }
    } catch (error) {
      throw toProviderError(error, options.signal, usage);
    }
    // The SDK ends its iterator quietly on abort, so an aborted stream looks like a short one.
    if (options.signal.aborted)
      throw new ProviderError('anthropic', 'aborted', 'request aborted', { usage });
    if (!finished) throw truncatedStream('anthropic', usage);
    yield { type: 'done', usage, stopReason: stopReason(reason) };
  }

  /** Forced tool use: the tool's input schema is our JSON schema, so the answer is its input. */
  async function generateStructured<T>(
    request: StructuredRequest<T>,
    options: CallOptions,
  ): Promise<StructuredResult<T>> {
    if (!settings.apiKey) throw missingKey('anthropic');
    let usage: TokenUsage | undefined;
    try {
      const message = await client.messages.create(
        {
          model: request.model,
          max_tokens: request.maxOutputTokens,
          ...(request.system ? { system: request.system } : {}),
          messages: request.messages.map((message) => ({
            role: message.role,
            content: message.content,
          })),
          tools: [
            {
              name: request.schema.name,
              description: 'Record the answer in exactly this shape.',
              input_schema: request.schema.jsonSchema as Anthropic.Tool.InputSchema,
            },
          ],
          tool_choice: { type: 'tool', name: request.schema.name },
        },
        { signal: options.signal },
      );
      usage = {
        inputTokens: inputTokensOf(message.usage),
        outputTokens: message.usage.output_tokens ?? 0,
      };
      const block = message.content.find(
        (part) => part.type === 'tool_use' && part.name === request.schema.name,
      );
      if (!block || block.type !== 'tool_use') {
        throw new ProviderError('anthropic', 'bad_response', 'answer has no tool_use block', {
          usage,
        });
      }
      return {
        value: parseStructured('anthropic', block.input, request.schema.parse, usage),
        usage,
      };
    } catch (error) {
      throw toProviderError(error, options.signal, usage);
    }
  }

  return { name: 'anthropic', streamChat, generateStructured };
}
