import { ApiError, GoogleGenAI, type Content, type GenerateContentResponse } from '@google/genai';
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

/** What one call saw below the SDK: its response headers and whether our connect timer fired. */
interface CallTrace {
  headers?: Headers;
  timedOut: boolean;
}

/**
 * The SDK's `timeout` stays armed while the body streams (and is sent to the server as
 * X-Server-Timeout), and its errors carry no headers. A per-call fetch wrapper gives us a
 * connect-only timeout and the `retry-after` header instead.
 */
function tracingFetch(
  baseFetch: typeof fetch,
  connectTimeoutMs: number,
  trace: CallTrace,
): typeof fetch {
  return async (input, init) => {
    const timer = new AbortController();
    const handle = setTimeout(() => {
      trace.timedOut = true;
      timer.abort(new Error('connect timeout'));
    }, connectTimeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timer.signal]) : timer.signal;
    try {
      const response = await baseFetch(input, { ...init, signal });
      trace.headers = response.headers;
      return response;
    } finally {
      clearTimeout(handle);
    }
  };
}

/** Gemini puts the wait in the body (google.rpc.RetryInfo), which the SDK keeps in `message`. */
function retryDelayFromBody(message: string): number | undefined {
  const match = /"retryDelay"\s*:\s*"(\d+(?:\.\d+)?)s"/.exec(message);
  return match ? Math.round(Number(match[1]) * 1000) : undefined;
}

function toProviderError(
  error: unknown,
  signal: AbortSignal,
  trace: CallTrace,
  usage?: TokenUsage,
): ProviderError {
  if (error instanceof ProviderError) return error;
  if (signal.aborted) return mapTransportError('google', error, signal, usage);
  if (trace.timedOut && !trace.headers) {
    return new ProviderError('google', 'timeout', 'timed out waiting for response headers', {
      usage,
      cause: error,
    });
  }
  if (error instanceof ApiError) {
    return new ProviderError(
      'google',
      kindFromStatus(error.status),
      `HTTP ${error.status} from Gemini`,
      {
        status: error.status,
        retryAfterMs: parseRetryAfter(trace.headers) ?? retryDelayFromBody(error.message),
        usage,
        cause: error,
      },
    );
  }
  return mapTransportError('google', error, signal, usage);
}

function toContents(messages: LlmMessage[]): Content[] {
  return messages.map((message) => ({
    role: message.role === 'assistant' ? 'model' : 'user',
    parts: [{ text: message.content }],
  }));
}

/** Thinking tokens are billed as output, so they count as output here. */
function usageOf(response: GenerateContentResponse): TokenUsage | undefined {
  const meta = response.usageMetadata;
  if (!meta) return undefined;
  return {
    inputTokens: (meta.promptTokenCount ?? 0) + (meta.toolUsePromptTokenCount ?? 0),
    outputTokens: (meta.candidatesTokenCount ?? 0) + (meta.thoughtsTokenCount ?? 0),
  };
}

/** Visible text only: thought summaries are not part of the answer. */
function textOf(response: GenerateContentResponse): string {
  const parts = response.candidates?.[0]?.content?.parts ?? [];
  return parts
    .filter((part) => typeof part.text === 'string' && !part.thought)
    .map((part) => part.text)
    .join('');
}

/**
 * Flash models think by default, which delays the first token and eats the output budget; a
 * tutor's hint does not need it. Pro models cannot turn it off, so they are left alone.
 */
function thinkingConfig(model: string) {
  return /flash/.test(model) ? { thinkingConfig: { thinkingBudget: 0 } } : {};
}

/** Gemini through the official SDK, with its retries and automatic continuation turned off. */
export function createGoogleProvider(
  settings: ProviderSettings,
  deps: ProviderDeps = {},
): ChatProvider {
  const client = new GoogleGenAI({
    apiKey: settings.apiKey,
    ...(settings.baseUrl ? { httpOptions: { baseUrl: settings.baseUrl } } : {}),
  });
  const baseFetch = deps.fetch ?? fetch;

  function baseConfig(
    request: { model: string; system: string; maxOutputTokens: number },
    trace: CallTrace,
    signal: AbortSignal,
  ) {
    return {
      ...(request.system ? { systemInstruction: request.system } : {}),
      maxOutputTokens: request.maxOutputTokens,
      ...thinkingConfig(request.model),
      abortSignal: signal,
      // Continuation would send hidden follow-up requests; retries and fallbacks are ours.
      automaticContinuation: false,
      httpOptions: { fetch: tracingFetch(baseFetch, settings.connectTimeoutMs, trace) },
    };
  }

  async function* streamChat(
    request: ChatRequest,
    options: CallOptions,
  ): AsyncIterable<ChatStreamEvent> {
    if (!settings.apiKey) throw missingKey('google');
    const trace: CallTrace = { timedOut: false };
    let usage: TokenUsage | undefined;
    let finishReason: string | undefined;
    try {
      const stream = await client.models.generateContentStream({
        model: request.model,
        contents: toContents(request.messages),
        config: {
          ...baseConfig(request, trace, options.signal),
          ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
        },
      });
      for await (const chunk of stream) {
        // usageMetadata is cumulative; the last chunk has the final counts.
        usage = usageOf(chunk) ?? usage;
        const text = textOf(chunk);
        if (text) yield { type: 'delta', text };
        finishReason = chunk.candidates?.[0]?.finishReason ?? finishReason;
      }
    } catch (error) {
      throw toProviderError(error, options.signal, trace, usage);
    }
    if (options.signal.aborted)
      throw new ProviderError('google', 'aborted', 'request aborted', { usage });
    if (!finishReason) throw truncatedStream('google', usage);
    yield {
      type: 'done',
      usage: usage ?? { inputTokens: 0, outputTokens: 0 },
      stopReason:
        finishReason === 'STOP' ? 'end' : finishReason === 'MAX_TOKENS' ? 'max_tokens' : 'other',
    };
  }

  async function generateStructured<T>(
    request: StructuredRequest<T>,
    options: CallOptions,
  ): Promise<StructuredResult<T>> {
    if (!settings.apiKey) throw missingKey('google');
    const trace: CallTrace = { timedOut: false };
    let usage: TokenUsage | undefined;
    try {
      const response = await client.models.generateContent({
        model: request.model,
        contents: toContents(request.messages),
        config: {
          ...baseConfig(request, trace, options.signal),
          responseMimeType: 'application/json',
          responseJsonSchema: request.schema.jsonSchema,
        },
      });
      usage = usageOf(response) ?? { inputTokens: 0, outputTokens: 0 };
      const text = textOf(response);
      if (!text)
        throw new ProviderError('google', 'bad_response', 'structured answer is empty', { usage });
      return { value: parseStructured('google', text, request.schema.parse, usage), usage };
    } catch (error) {
      throw toProviderError(error, options.signal, trace, usage);
    }
  }

  return { name: 'google', streamChat, generateStructured };
}
