import {
  ProviderError,
  type CallOptions,
  type ChatProvider,
  type ChatRequest,
  type ChatStreamEvent,
  type ProviderErrorKind,
  type ProviderName,
  type StructuredRequest,
  type StructuredResult,
  type TokenUsage,
} from '../types.js';
import { neutralValue } from './neutral-value.js';

/**
 * The demo tutor (`LLM_PROVIDER=mock`) and the scriptable provider tests drive.
 *
 * Without scripts it streams DEMO_ANSWER word by word, counting words as tokens, and answers
 * structured requests with a neutral value built from the JSON schema (first enum value, 0,
 * false, '') run through `schema.parse`.
 *
 * Scripting, one script per call, consumed in order (then `setDefault`'s script, if any):
 *
 *   const mock = createMockProvider();
 *   mock.enqueue(
 *     { failBeforeFirstToken: 'rate_limited', retryAfterMs: 2000 }, // call 1: 429 before any text
 *     { text: 'Try a loop.', tokenDelayMs: 5 },                     // call 2: streams 3 words
 *     { failAfterTokens: 2, kind: 'connection' },                   // call 3: 2 words, then drops
 *     { stallAfterTokens: 0 },                                      // call 4: never answers
 *     { structured: { isNewProblem: true } },                       // call 5: generateStructured
 *   );
 *   mock.calls; // every request seen, with `kind: 'stream' | 'structured'`
 *
 * A stalled call only ends when its signal aborts, which is how callers' timeouts are tested.
 */
export const DEMO_ANSWER =
  '(Demo tutor — no AI provider is connected.) This is a canned practice answer, not real help. ' +
  'Try breaking the problem into smaller steps: what does your code do right now, and what ' +
  'should it do instead?';

export interface MockScript {
  /** The answer to stream; defaults to DEMO_ANSWER. Split on spaces into tokens. */
  text?: string;
  /** Wait before each token (ms). */
  tokenDelayMs?: number;
  /** Fail before any token with this kind (retryable kinds let the caller retry). */
  failBeforeFirstToken?: ProviderErrorKind;
  /** Fail after this many tokens were streamed (with `kind`, default 'connection'). */
  failAfterTokens?: number;
  kind?: ProviderErrorKind;
  status?: number;
  retryAfterMs?: number;
  /** Stop sending after this many tokens until the signal aborts (0: before the first). */
  stallAfterTokens?: number;
  /** The value generateStructured returns (still run through `schema.parse`). */
  structured?: unknown;
  /** Overrides the word counts. */
  usage?: Partial<TokenUsage>;
  /**
   * Only for this kind of call; a call of the other kind takes the next script after it. For a
   * turn whose classification runs beside its answer: which of the two reaches the provider
   * first is not fixed. A script with `structured` is for structured calls unless it says.
   */
  for?: 'stream' | 'structured';
}

export interface MockCall {
  kind: 'stream' | 'structured';
  model: string;
  system: string;
  messages: ChatRequest['messages'];
  schemaName?: string;
}

export interface MockProvider extends ChatProvider {
  readonly calls: MockCall[];
  enqueue(...scripts: MockScript[]): void;
  /** Used once the queue is empty; `undefined` restores the demo answer. */
  setDefault(script: MockScript | undefined): void;
  reset(): void;
}

export interface MockSettings {
  /** Lets a test stand a mock in for a real vendor (breakers and usage are keyed by name). */
  name?: ProviderName;
  /** Default pause between words, so the demo looks like streaming (0 in tests). */
  tokenDelayMs?: number;
  /**
   * A real model's pace for every call: the wait before the first word, then per word; a
   * structured call answers once its whole generation would be done. Off unless given.
   */
  timing?: { firstTokenMs: number; perTokenMs: number };
}

/**
 * What a call that ends early (stopped, cut off) carries as the vendor's count, as each vendor
 * sends it: OpenAI only in the final chunk (so nothing), Anthropic the input and one output
 * token from message_start, Gemini (and the demo) a running count in every chunk.
 */
function partialUsage(name: ProviderName, usage: TokenUsage): TokenUsage | undefined {
  if (name === 'openai') return undefined;
  if (name === 'anthropic') return { inputTokens: usage.inputTokens, outputTokens: 1 };
  return { ...usage };
}

/** The longest setTimeout Node accepts: "forever" for a stalled call. */
const STALL_MS = 2 ** 31 - 1;

function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const handle = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    // A stall must not keep a finished test run (or a stopping server) alive.
    if (ms === STALL_MS) handle.unref();
    const onAbort = () => {
      clearTimeout(handle);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Deterministic and offline; never chosen unless configured or injected. */
export function createMockProvider(settings: MockSettings = {}): MockProvider {
  const name = settings.name ?? 'mock';
  const queue: MockScript[] = [];
  const calls: MockCall[] = [];
  let fallback: MockScript | undefined;

  const next = (kind: MockCall['kind']): MockScript => {
    const index = queue.findIndex((script) => {
      const only = script.for ?? (script.structured !== undefined ? 'structured' : undefined);
      return only === undefined || only === kind;
    });
    return (index === -1 ? undefined : queue.splice(index, 1)[0]) ?? fallback ?? {};
  };
  const inputTokens = (request: { system: string; messages: ChatRequest['messages'] }) =>
    countWords(request.system) +
    request.messages.reduce((sum, message) => sum + countWords(message.content), 0);
  const fail = (script: MockScript, kind: ProviderErrorKind, usage: TokenUsage) =>
    new ProviderError(name, kind, `scripted ${kind} failure`, {
      status: script.status,
      retryAfterMs: script.retryAfterMs,
      usage: partialUsage(name, usage),
    });
  const aborted = (usage: TokenUsage, isStructured = false) =>
    new ProviderError(name, 'aborted', 'request aborted', {
      // A structured call cut short never got its response: no count at all.
      usage: isStructured ? undefined : partialUsage(name, usage),
    });

  async function* streamChat(
    request: ChatRequest,
    options: CallOptions,
  ): AsyncIterable<ChatStreamEvent> {
    calls.push({
      kind: 'stream',
      model: request.model,
      system: request.system,
      messages: request.messages,
    });
    const script = next('stream');
    const words = (script.text ?? DEMO_ANSWER).split(' ').filter(Boolean);
    const usage: TokenUsage = {
      inputTokens: script.usage?.inputTokens ?? inputTokens(request),
      outputTokens: 0,
    };
    const delay = script.tokenDelayMs ?? settings.tokenDelayMs ?? 0;
    const timing = settings.timing;
    if (script.failBeforeFirstToken) throw fail(script, script.failBeforeFirstToken, usage);
    try {
      for (const [index, word] of words.entries()) {
        if (script.failAfterTokens === index)
          throw fail(script, script.kind ?? 'connection', usage);
        if (script.stallAfterTokens === index) await sleep(STALL_MS, options.signal);
        if (timing)
          await sleep(index === 0 ? timing.firstTokenMs : timing.perTokenMs, options.signal);
        if (delay > 0) await sleep(delay, options.signal);
        if (options.signal.aborted) throw aborted(usage);
        usage.outputTokens += 1;
        yield { type: 'delta', text: index === 0 ? word : ` ${word}` };
      }
    } catch (error) {
      if (error instanceof ProviderError) throw error;
      throw aborted(usage);
    }
    if (script.usage?.outputTokens !== undefined) usage.outputTokens = script.usage.outputTokens;
    yield { type: 'done', usage, stopReason: 'end' };
  }

  async function generateStructured<T>(
    request: StructuredRequest<T>,
    options: CallOptions,
  ): Promise<StructuredResult<T>> {
    calls.push({
      kind: 'structured',
      model: request.model,
      system: request.system,
      messages: request.messages,
      schemaName: request.schema.name,
    });
    const script = next('structured');
    const raw =
      script.structured !== undefined ? script.structured : neutralValue(request.schema.jsonSchema);
    const text = JSON.stringify(raw);
    const usage: TokenUsage = {
      inputTokens: script.usage?.inputTokens ?? inputTokens(request),
      outputTokens: script.usage?.outputTokens ?? countWords(text),
    };
    if (script.failBeforeFirstToken) throw fail(script, script.failBeforeFirstToken, usage);
    try {
      if (script.stallAfterTokens !== undefined) await sleep(STALL_MS, options.signal);
      if (script.tokenDelayMs) await sleep(script.tokenDelayMs, options.signal);
      if (settings.timing) {
        const { firstTokenMs, perTokenMs } = settings.timing;
        await sleep(firstTokenMs + perTokenMs * usage.outputTokens, options.signal);
      }
    } catch {
      throw aborted(usage, true);
    }
    if (options.signal.aborted) throw aborted(usage, true);
    try {
      return { value: request.schema.parse(raw), usage };
    } catch (error) {
      throw new ProviderError(name, 'bad_response', 'structured answer does not match the schema', {
        usage,
        cause: error,
      });
    }
  }

  return {
    name,
    calls,
    streamChat,
    generateStructured,
    enqueue: (...scripts) => void queue.push(...scripts),
    setDefault: (script) => void (fallback = script),
    reset: () => {
      queue.length = 0;
      calls.length = 0;
      fallback = undefined;
    },
  };
}
