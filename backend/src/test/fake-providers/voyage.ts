import { mockEmbed } from '../../ai/embeddings/mock.js';
import { startFakeServer, type StartOptions, type VendorRenderer } from './fake-server.js';

/**
 * Voyage AI: POST /v1/embeddings with `input`, `model`, `input_type`, `output_dimension`;
 * answers `{ object: 'list', data: [{ object: 'embedding', embedding, index }], model,
 * usage: { total_tokens } }`. Errors are `{ detail }`. The data items are sent in reverse order
 * to prove the client sorts by `index`. A script's `structured` value replaces the answer.
 */
export const voyageRenderer: VendorRenderer = {
  name: 'voyage',
  isStreaming: () => false,
  errorBody: (_status, message) => ({ detail: message }),
  start: () => '',
  chunk: () => '',
  end: () => '',
  malformed: () => '',
  errorEvent: () => '',
  unary: (ctx) => {
    if (ctx.script.structured !== undefined) return ctx.script.structured;
    const raw = ctx.body.input;
    const texts = Array.isArray(raw) ? (raw as string[]) : typeof raw === 'string' ? [raw] : [];
    const dimensions =
      typeof ctx.body.output_dimension === 'number' ? ctx.body.output_dimension : 1024;
    return {
      object: 'list',
      data: texts
        .map((text, index) => ({
          object: 'embedding',
          embedding: mockEmbed(text, dimensions),
          index,
        }))
        .reverse(),
      model: ctx.body.model,
      usage: { total_tokens: ctx.inputTokens },
    };
  },
};

export const startFakeVoyage = (options?: StartOptions) =>
  startFakeServer(voyageRenderer, '/v1', options);
