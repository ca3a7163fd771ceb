import { mockEmbed } from '../../ai/embeddings/mock.js';
import { startFakeServer, type StartOptions, type VendorRenderer } from './fake-server.js';

/**
 * Cohere Embed v2: POST /v2/embed with `texts`, `input_type`, `embedding_types` and
 * `output_dimension`; answers `{ id, embeddings: { float: [...] }, texts, meta }` with billed
 * input tokens in `meta.billed_units`. Errors are `{ message }`. A script's `structured` value,
 * when set, is sent verbatim instead (malformed-response tests).
 */
export const cohereRenderer: VendorRenderer = {
  name: 'cohere',
  isStreaming: () => false,
  errorBody: (_status, message) => ({ id: 'fake-error', message }),
  start: () => '',
  chunk: () => '',
  end: () => '',
  malformed: () => '',
  errorEvent: () => '',
  unary: (ctx) => {
    if (ctx.script.structured !== undefined) return ctx.script.structured;
    const texts = Array.isArray(ctx.body.texts) ? (ctx.body.texts as string[]) : [];
    const dimensions =
      typeof ctx.body.output_dimension === 'number' ? ctx.body.output_dimension : 1536;
    return {
      id: 'fake-embed',
      response_type: 'embeddings_by_type',
      embeddings: { float: texts.map((text) => mockEmbed(text, dimensions)) },
      texts,
      meta: {
        api_version: { version: '2' },
        billed_units: { input_tokens: ctx.inputTokens },
      },
    };
  },
};

export const startFakeCohere = (options?: StartOptions) =>
  startFakeServer(cohereRenderer, '', options);
