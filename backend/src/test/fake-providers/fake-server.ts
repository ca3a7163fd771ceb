import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The vendor-neutral half of the fake AI servers: scripting, recording, the HTTP control API
 * and the streaming loop. Each vendor file only renders frames in its own wire format.
 *
 * A script describes one response. Scripts queue up (`enqueue`) and are used one per request;
 * when the queue is empty the default script (`setDefault`) answers, else a short greeting.
 *
 * Control API, for e2e tests and benchmarks that run the fake in another process:
 *   POST /__fake/script   body: a script or an array of scripts → enqueued
 *   PUT  /__fake/default  body: a script, or null to clear it
 *   GET  /__fake/calls    → recorded requests (method, path, headers, parsed body)
 *   POST /__fake/reset    → clears queue, default and calls
 *   PUT  /__fake/timing   body: a FakeTiming, or null for none
 */

export interface FakeScript {
  /** Text pieces, one streamed chunk each. Default: ['Hello', ' from', ' the', ' fake']. */
  chunks?: string[];
  /** Pause before each chunk. */
  chunkDelayMs?: number;
  /** Pause before sending response headers (connect-timeout tests). */
  headersDelayMs?: number;
  /**
   * Reported token counts. Defaults: the request's input as `promptTokensOf` counts it, one
   * output token per chunk.
   */
  usage?: { inputTokens?: number; outputTokens?: number };
  /** Answer with an HTTP error in the vendor's shape instead of a reply. */
  error?: { status: number; retryAfter?: string; retryAfterMs?: number; message?: string };
  /** Destroy the socket after this many chunks (0: right after headers). */
  resetAfterChunks?: number;
  /** Stop sending after this many chunks, keeping the connection open. */
  stallAfterChunks?: number;
  /** Send a chunk that is not valid JSON after this many chunks. */
  malformedAfterChunks?: number;
  /** Send the vendor's in-stream error event after this many chunks. */
  errorEventAfterChunks?: number;
  /** The JSON answer for structured-output calls. */
  structured?: unknown;
  /** Ends with the vendor's "max tokens" stop reason instead of a normal stop. */
  stopAtMaxTokens?: boolean;
  /** Overrides the server's timing for this response (`null`: answer at once). */
  timing?: FakeTiming | null;
}

/**
 * How long a real model takes, applied to every call: the wait before the first token, then one
 * token's time before each further chunk (each chunk is one token); a non-streamed call
 * (structured output) answers only once its whole generation would be done. Off by default so
 * unit tests stay fast; benchmarks turn on REALISTIC_TIMING.
 */
export interface FakeTiming {
  firstTokenMs: number;
  perTokenMs: number;
}

/** What a hosted model's small tier looks like from here: 400 ms to the first token, 15 ms a token. */
export const REALISTIC_TIMING: FakeTiming = { firstTokenMs: 400, perTokenMs: 15 };

/** Strings of a request that are settings, not text the model reads. */
const NOT_PROMPT = new Set([
  'model',
  'role',
  'encoding_format',
  'input_type',
  'embedding_types',
  'truncate',
  'output_dtype',
  'service_tier',
]);

/**
 * The input tokens a vendor would count for this request body: one per four characters of its
 * text (system prompt, messages, tool and schema definitions, texts to embed), about what
 * English tokenizes to. A constant count hid what a long conversation costs: a stopped answer
 * with a 750-token prompt was billed 10 input tokens where the vendor would say 750.
 */
export function promptTokensOf(body: unknown): number {
  let chars = 0;
  const visit = (value: unknown, key: string | undefined): void => {
    if (typeof value === 'string') {
      if (!key || !NOT_PROMPT.has(key)) chars += value.length;
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item, key);
    } else if (value && typeof value === 'object') {
      for (const [name, item] of Object.entries(value)) visit(item, name);
    }
  };
  visit(body, undefined);
  return Math.max(1, Math.ceil(chars / 4));
}

export interface RecordedCall {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

/** What a vendor renderer gets for one response. */
export interface RenderContext {
  script: FakeScript;
  chunks: string[];
  path: string;
  body: Record<string, unknown>;
  inputTokens: number;
  outputTokens: number;
}

export interface VendorRenderer {
  name: string;
  /** Whether this request asked for a stream (the rest get one JSON body). */
  isStreaming(path: string, body: Record<string, unknown>): boolean;
  errorBody(status: number, message: string, script: FakeScript): unknown;
  start(ctx: RenderContext): string;
  chunk(ctx: RenderContext, text: string, index: number): string;
  end(ctx: RenderContext): string;
  malformed(ctx: RenderContext): string;
  errorEvent(ctx: RenderContext): string;
  unary(ctx: RenderContext): unknown;
}

export interface FakeServer {
  /** Origin, e.g. http://127.0.0.1:43123. */
  url: string;
  /** What to pass as the SDK's base URL (ANTHROPIC_/OPENAI_/GOOGLE_BASE_URL). */
  baseUrl: string;
  port: number;
  calls: RecordedCall[];
  enqueue(...scripts: FakeScript[]): void;
  setDefault(script: FakeScript | undefined): void;
  reset(): void;
  close(): Promise<void>;
}

export interface StartOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Timing for every call (see FakeTiming); none by default. */
  timing?: FakeTiming;
  /** Told when each request arrives and when its response ended (benchmarks time round trips). */
  onRequest?: (body: Record<string, unknown>, path: string) => void;
  onResponseEnd?: (body: Record<string, unknown>, path: string) => void;
}

const DEFAULT_CHUNKS = ['Hello', ' from', ' the', ' fake'];

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Destroying at once would drop chunks still in the socket buffer; the client must see them
 * arrive and only then lose the connection, as with a real mid-stream reset.
 */
async function resetAfterFlush(res: http.ServerResponse) {
  await new Promise<void>((resolve) => res.write('', () => resolve()));
  await delay(20);
  res.socket?.destroy();
}

async function readBody(req: http.IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  const text = Buffer.concat(parts).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: http.OutgoingHttpHeaders = {},
) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export async function startFakeServer(
  renderer: VendorRenderer,
  basePath: string,
  options: StartOptions = {},
): Promise<FakeServer> {
  const queue: FakeScript[] = [];
  const calls: RecordedCall[] = [];
  let fallback: FakeScript | undefined;
  let timing = options.timing;

  async function handleControl(req: http.IncomingMessage, res: http.ServerResponse, path: string) {
    const body = await readBody(req);
    if (req.method === 'POST' && path === '/__fake/script') {
      queue.push(...((Array.isArray(body) ? body : [body]) as FakeScript[]));
      return sendJson(res, 200, { queued: queue.length });
    }
    if (req.method === 'PUT' && path === '/__fake/default') {
      fallback = (body ?? undefined) as FakeScript | undefined;
      return sendJson(res, 200, { ok: true });
    }
    if (req.method === 'PUT' && path === '/__fake/timing') {
      timing = (body ?? undefined) as FakeTiming | undefined;
      return sendJson(res, 200, { ok: true });
    }
    if (req.method === 'GET' && path === '/__fake/calls') return sendJson(res, 200, calls);
    if (req.method === 'POST' && path === '/__fake/reset') {
      queue.length = 0;
      calls.length = 0;
      fallback = undefined;
      return sendJson(res, 200, { ok: true });
    }
    return sendJson(res, 404, { error: 'unknown control route' });
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const path = req.url ?? '/';
    if (path.startsWith('/__fake/')) return handleControl(req, res, path.split('?')[0]!);
    const body = (await readBody(req)) as Record<string, unknown> | undefined;
    calls.push({ method: req.method ?? 'GET', path, headers: req.headers, body });
    options.onRequest?.(body ?? {}, path);
    res.once('close', () => options.onResponseEnd?.(body ?? {}, path));
    const script = queue.shift() ?? fallback ?? {};
    const chunks = script.chunks ?? DEFAULT_CHUNKS;
    const ctx: RenderContext = {
      script,
      chunks,
      path,
      body: body ?? {},
      inputTokens: script.usage?.inputTokens ?? promptTokensOf(body),
      outputTokens: script.usage?.outputTokens ?? chunks.length,
    };
    if (script.headersDelayMs) await delay(script.headersDelayMs);
    if (res.destroyed) return;

    if (script.error) {
      const { status, retryAfter, retryAfterMs, message } = script.error;
      const headers: http.OutgoingHttpHeaders = {};
      if (retryAfter !== undefined) headers['retry-after'] = retryAfter;
      if (retryAfterMs !== undefined) headers['retry-after-ms'] = String(retryAfterMs);
      return sendJson(
        res,
        status,
        renderer.errorBody(status, message ?? `fake ${status}`, script),
        headers,
      );
    }
    const pace = script.timing === undefined ? timing : (script.timing ?? undefined);
    if (!renderer.isStreaming(path, ctx.body)) {
      // A vendor never writes (or bills) more than the request's output limit.
      const limit = maxOutputTokensOf(ctx.body);
      if (limit !== undefined) ctx.outputTokens = Math.min(ctx.outputTokens, limit);
      if (script.resetAfterChunks !== undefined) return void res.socket?.destroy();
      if (script.stallAfterChunks !== undefined) return; // never answers
      // The whole generation happens before the one response.
      if (pace) await delay(pace.firstTokenMs + pace.perTokenMs * ctx.outputTokens);
      if (res.destroyed) return;
      return sendJson(res, 200, renderer.unary(ctx));
    }
    await streamResponse(res, ctx, pace);
  }

  async function streamResponse(
    res: http.ServerResponse,
    ctx: RenderContext,
    pace: FakeTiming | undefined,
  ) {
    const { script } = ctx;
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    res.write(renderer.start(ctx));
    for (let index = 0; index <= ctx.chunks.length; index += 1) {
      if (script.resetAfterChunks === index) return resetAfterFlush(res);
      if (script.stallAfterChunks === index) return; // the socket stays open until the client gives up
      if (script.malformedAfterChunks === index) res.write(renderer.malformed(ctx));
      if (script.errorEventAfterChunks === index) return void res.end(renderer.errorEvent(ctx));
      const text = ctx.chunks[index];
      if (text === undefined) break;
      if (pace) await delay(index === 0 ? pace.firstTokenMs : pace.perTokenMs);
      if (script.chunkDelayMs) await delay(script.chunkDelayMs);
      if (res.destroyed) return;
      res.write(renderer.chunk(ctx, text, index));
    }
    res.end(renderer.end(ctx));
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: String(error) });
      else res.destroy();
    });
  });
  // Vendors keep idle connections open for a minute or more; Node's 5 s default races the
  // SDK reusing a connection the server is just closing (a reset no real vendor causes).
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  const url = `http://${host}:${port}`;

  return {
    url,
    baseUrl: `${url}${basePath}`,
    port,
    calls,
    enqueue: (...scripts) => void queue.push(...scripts),
    setDefault: (script) => void (fallback = script),
    reset: () => {
      queue.length = 0;
      calls.length = 0;
      fallback = undefined;
    },
    close: () =>
      new Promise<void>((resolve) => {
        // Stalled streams would otherwise keep close() waiting forever.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The output limit a request set, in any of the three vendors' spellings. */
function maxOutputTokensOf(body: Record<string, unknown>): number | undefined {
  const generation = body.generationConfig as { maxOutputTokens?: unknown } | undefined;
  const limit =
    body.max_tokens ?? body.max_completion_tokens ?? generation?.maxOutputTokens ?? undefined;
  return typeof limit === 'number' ? limit : undefined;
}

/** One SSE frame; `event` is omitted for vendors that send data lines only. */
export function sse(data: unknown, event?: string, separator = '\n\n'): string {
  const payload = typeof data === 'string' ? data : JSON.stringify(data);
  return `${event ? `event: ${event}\n` : ''}data: ${payload}${separator}`;
}
