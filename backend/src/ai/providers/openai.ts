import OpenAI from 'openai';
import {
  ProviderError,
  type CallOptions,
  type ChatProvider,
  type ChatRequest,
  type ChatStreamEvent,
  type LlmMessage,
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

function toProviderError(error: unknown, signal: AbortSignal, usage?: TokenUsage): ProviderError {
  if (error instanceof ProviderError) return error;
  if (signal.aborted) return mapTransportError('openai', error, signal, usage);
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return new ProviderError('openai', 'timeout', 'timed out waiting for response headers', {
      usage,
      cause: error,
    });
  }
  if (error instanceof OpenAI.APIError && error.status !== undefined) {
    return new ProviderError(
      'openai',
      kindFromStatus(error.status),
      `HTTP ${error.status} from OpenAI`,
      {
        status: error.status,
        retryAfterMs: parseRetryAfter(error.headers),
        usage,
        cause: error,
      },
    );
  }
  // The SDK's connection errors are APIErrors without a status too: not an error chunk.
  if (error instanceof OpenAI.APIConnectionError) {
    return new ProviderError('openai', 'connection', 'connection to OpenAI failed', {
      usage,
      cause: error,
    });
  }
  // An `error` object inside the stream: the server gave up after answering 200.
  if (error instanceof OpenAI.APIError) {
    return new ProviderError('openai', 'server', 'error chunk in stream', { usage, cause: error });
  }
  return mapTransportError('openai', error, signal, usage);
}

function toMessages(system: string, messages: LlmMessage[]): OpenAI.ChatCompletionMessageParam[] {
  return [
    ...(system ? [{ role: 'system' as const, content: system }] : []),
    ...messages.map((message) => ({ role: message.role, content: message.content })),
  ];
}

/**
 * Reasoning models (gpt-5*, o-series) reject `max_tokens` and spend hidden tokens thinking; a
 * low effort keeps a tutor's first token quick. OpenAI-compatible servers (Ollama, vLLM, LM
 * Studio) know `max_tokens` but not always the newer parameter.
 */
function modelParams(model: string, maxOutputTokens: number, isCompatibleServer: boolean) {
  const isReasoning = /^(gpt-5|o\d)/.test(model);
  if (isCompatibleServer && !isReasoning) return { max_tokens: maxOutputTokens };
  return {
    max_completion_tokens: maxOutputTokens,
    ...(isReasoning ? { reasoning_effort: 'low' as const } : {}),
  };
}

function usageOf(usage: OpenAI.CompletionUsage | null | undefined): TokenUsage | undefined {
  if (!usage) return undefined;
  return { inputTokens: usage.prompt_tokens ?? 0, outputTokens: usage.completion_tokens ?? 0 };
}

/**
 * OpenAI and any OpenAI-compatible server (set OPENAI_BASE_URL), so a school can run a local
 * model. The SDK's own retries are off because ours know the fallback chain.
 */
export function createOpenAIProvider(
  settings: ProviderSettings,
  deps: ProviderDeps = {},
): ChatProvider {
  const isCompatibleServer = Boolean(settings.baseUrl);
  const client = new OpenAI({
    // Local servers ignore the key, but the SDK refuses to start without one.
    apiKey: settings.apiKey ?? 'not-needed-for-local-servers',
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
    if (!settings.apiKey && !isCompatibleServer) throw missingKey('openai');
    let usage: TokenUsage | undefined;
    let finishReason: string | null = null;
    try {
      const stream = await client.chat.completions.create(
        {
          model: request.model,
          messages: toMessages(request.system, request.messages),
          ...modelParams(request.model, request.maxOutputTokens, isCompatibleServer),
          ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
          stream: true,
          stream_options: { include_usage: true },
        },
        { signal: options.signal },
      );
      for await (const chunk of stream) {
        // The usage chunk comes last, with an empty `choices` array.
        usage = usageOf(chunk.usage) ?? usage;
        const choice = chunk.choices[0];
        if (!choice) continue;
        if (choice.delta?.content) yield { type: 'delta', text: choice.delta.content };
        if (choice.finish_reason) finishReason = choice.finish_reason;
      }
    } catch (error) {
      throw toProviderError(error, options.signal, usage);
    }
    // The SDK ends its iterator quietly on abort, so an aborted stream looks like a short one.
    if (options.signal.aborted)
      throw new ProviderError('openai', 'aborted', 'request aborted', { usage });
    if (!finishReason) throw truncatedStream('openai', usage);
    yield {
      type: 'done',
      // Some compatible servers ignore include_usage; zero is honest, an estimate would not be.
      usage: usage ?? { inputTokens: 0, outputTokens: 0 },
      stopReason:
        finishReason === 'stop' ? 'end' : finishReason === 'length' ? 'max_tokens' : 'other',
    };
  }

  async function generateStructured<T>(
    request: StructuredRequest<T>,
    options: CallOptions,
  ): Promise<StructuredResult<T>> {
    if (!settings.apiKey && !isCompatibleServer) throw missingKey('openai');
    let usage: TokenUsage | undefined;
    try {
      const completion = await client.chat.completions.create(
        {
          model: request.model,
          messages: toMessages(request.system, request.messages),
          ...modelParams(request.model, request.maxOutputTokens, isCompatibleServer),
          response_format: {
            type: 'json_schema',
            json_schema: {
              name: request.schema.name,
              strict: true,
              schema: request.schema.jsonSchema,
            },
          },
        },
        { signal: options.signal },
      );
      usage = usageOf(completion.usage) ?? { inputTokens: 0, outputTokens: 0 };
      const content = completion.choices[0]?.message?.content;
      if (!content)
        throw new ProviderError('openai', 'bad_response', 'structured answer is empty', { usage });
      return { value: parseStructured('openai', content, request.schema.parse, usage), usage };
    } catch (error) {
      throw toProviderError(error, options.signal, usage);
    }
  }

  return { name: 'openai', streamChat, generateStructured };
}
