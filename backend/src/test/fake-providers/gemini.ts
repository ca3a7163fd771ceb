import {
  sse,
  startFakeServer,
  type FakeScript,
  type StartOptions,
  type VendorRenderer,
} from './fake-server.js';

/**
 * Gemini API: POST /v1beta/models/{model}:streamGenerateContent?alt=sse streams
 * `data: {candidates:[{content:{parts:[{text}],role:'model'}}], usageMetadata}` events (CRLF
 * separated, as Google sends them) with running usage and a last chunk carrying finishReason.
 * POST …:generateContent answers once; structured calls get `structured` as JSON text.
 * Errors are google.rpc.Status bodies; a 429 with retryAfter also carries RetryInfo.
 */
const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};
const CRLF2 = '\r\n\r\n';

const modelVersion = (path: string) => /models\/([^:]+):/.exec(path)?.[1] ?? 'gemini-fake';
const usageMetadata = (input: number, output: number) => ({
  promptTokenCount: input,
  candidatesTokenCount: output,
  totalTokenCount: input + output,
});
const response = (path: string, text: string, usage: object, finishReason?: string) => ({
  candidates: [
    {
      content: { parts: [{ text }], role: 'model' },
      index: 0,
      ...(finishReason ? { finishReason } : {}),
    },
  ],
  usageMetadata: usage,
  modelVersion: modelVersion(path),
  responseId: 'fake-response',
});

function errorBody(status: number, message: string, script: FakeScript) {
  const retryAfter = script.error?.retryAfter;
  return {
    error: {
      code: status,
      message,
      status: STATUS_NAMES[status] ?? 'INTERNAL',
      ...(status === 429 && retryAfter && /^\d+$/.test(retryAfter)
        ? {
            details: [
              { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${retryAfter}s` },
            ],
          }
        : {}),
    },
  };
}

export const geminiRenderer: VendorRenderer = {
  name: 'gemini',
  isStreaming: (path) => path.includes(':streamGenerateContent'),
  errorBody,
  start: () => '',
  chunk: (ctx, text, index) =>
    sse(
      response(
        ctx.path,
        text,
        usageMetadata(ctx.inputTokens, Math.min(index + 1, ctx.outputTokens)),
      ),
      undefined,
      CRLF2,
    ),
  end: (ctx) =>
    sse(
      response(
        ctx.path,
        '',
        usageMetadata(ctx.inputTokens, ctx.outputTokens),
        ctx.script.stopAtMaxTokens ? 'MAX_TOKENS' : 'STOP',
      ),
      undefined,
      CRLF2,
    ),
  malformed: () => sse('{"candidates":[{"content":{"parts":[{"text":', undefined, CRLF2),
  errorEvent: () =>
    sse(
      { error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } },
      undefined,
      CRLF2,
    ),
  unary: (ctx) =>
    response(
      ctx.path,
      ctx.script.structured !== undefined
        ? JSON.stringify(ctx.script.structured)
        : ctx.chunks.join(''),
      usageMetadata(ctx.inputTokens, ctx.outputTokens),
      'STOP',
    ),
};

/** Base URL for the SDK: the origin (the SDK adds /v1beta/models/…). */
export const startFakeGemini = (options?: StartOptions) =>
  startFakeServer(geminiRenderer, '', options);
