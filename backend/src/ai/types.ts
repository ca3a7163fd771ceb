/**
 * The one interface every AI vendor sits behind. Each SDK is imported in exactly one file under
 * providers/; the rest of Hintbook sees only these types.
 */

export type ProviderName = 'anthropic' | 'openai' | 'google' | 'mock';

export interface LlmMessage {
  role: 'user' | 'assistant';
  content: string;
}

export interface TokenUsage {
  /** From the provider's own counts, never estimated from characters. */
  inputTokens: number;
  outputTokens: number;
}

export interface ChatRequest {
  model: string;
  system: string;
  messages: LlmMessage[];
  maxOutputTokens: number;
  temperature?: number;
}

export type ChatStreamEvent =
  | { type: 'delta'; text: string }
  | { type: 'done'; usage: TokenUsage; stopReason: 'end' | 'max_tokens' | 'other' };

/** A JSON answer with a fixed shape, via the vendor's native structured output. */
export interface StructuredSchema<T> {
  name: string;
  /** JSON Schema (draft 2020-12 subset all three vendors accept: object, string, integer, boolean, enum). */
  jsonSchema: Record<string, unknown>;
  /** Validates what came back; throws on nonsense. */
  parse(value: unknown): T;
}

export interface StructuredRequest<T> {
  model: string;
  system: string;
  messages: LlmMessage[];
  schema: StructuredSchema<T>;
  maxOutputTokens: number;
}

export interface StructuredResult<T> {
  value: T;
  usage: TokenUsage;
}

export interface CallOptions {
  signal: AbortSignal;
}

export interface ChatProvider {
  readonly name: ProviderName;
  /**
   * Streams one answer. Ends with exactly one `done` event, or throws a ProviderError. Must stop
   * promptly (throwing a ProviderError of kind `aborted`) when `signal` aborts.
   */
  streamChat(request: ChatRequest, options: CallOptions): AsyncIterable<ChatStreamEvent>;
  generateStructured<T>(
    request: StructuredRequest<T>,
    options: CallOptions,
  ): Promise<StructuredResult<T>>;
}

export type ProviderErrorKind =
  | 'rate_limited' // 429
  | 'overloaded' // 529, 503
  | 'server' // other 5xx
  | 'timeout' // connect, first token or gap between tokens
  | 'connection' // reset, refused, DNS
  | 'bad_response' // malformed chunk, JSON that does not parse, schema mismatch
  | 'auth' // 401/403: wrong key
  | 'invalid_request' // 400/404/422: our bug or a wrong model name
  | 'aborted'; // we cancelled (student pressed stop)

const RETRYABLE: ReadonlySet<ProviderErrorKind> = new Set([
  'rate_limited',
  'overloaded',
  'server',
  'timeout',
  'connection',
  'bad_response',
]);

/**
 * Every vendor failure is translated into this, so retry and fallback logic never looks at SDK
 * error classes. `message` is for logs; it never reaches students verbatim.
 */
export class ProviderError extends Error {
  constructor(
    readonly provider: ProviderName,
    readonly kind: ProviderErrorKind,
    message: string,
    readonly options: {
      status?: number;
      /** From a `retry-after` header, when the vendor sent one. */
      retryAfterMs?: number;
      /** Tokens the vendor had already counted when the call failed (may be partial). */
      usage?: TokenUsage;
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'ProviderError';
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }
}

/** USD per million tokens. */
export interface ModelPrice {
  inputPerMillion: number;
  outputPerMillion: number;
}
