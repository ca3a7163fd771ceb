import type { ModelPrice, TokenUsage } from './types.js';

/**
 * USD per million tokens for the default models, from each vendor's public model pages
 * (platform.claude.com models overview, developers.openai.com model pages, ai.google.dev
 * Gemini pricing; standard tier, prompts under 200k tokens, no batch or cache discounts).
 * Prices change: admins override or add models with LLM_PRICING, e.g.
 * `{"llama3.1:8b":{"inputPerMillion":0,"outputPerMillion":0}}` for a local model.
 */
export const DEFAULT_PRICES: Readonly<Record<string, ModelPrice>> = {
  // The default: Sonnet 4.5 reaches end of life on 2026-11-30 (the SDK's deprecation table).
  'claude-sonnet-5-5': { inputPerMillion: 2, outputPerMillion: 10 },
  'claude-sonnet-4-5': { inputPerMillion: 3, outputPerMillion: 15 },
  'claude-haiku-4-5': { inputPerMillion: 1, outputPerMillion: 5 },
  'gpt-5-mini': { inputPerMillion: 0.25, outputPerMillion: 2 },
  'gpt-5-nano': { inputPerMillion: 0.05, outputPerMillion: 0.4 },
  'gemini-2.5-flash': { inputPerMillion: 0.3, outputPerMillion: 2.5 },
  'gemini-2.5-flash-lite': { inputPerMillion: 0.1, outputPerMillion: 0.4 },
  // Embeddings (course retrieval) bill input only: docs.voyageai.com pricing (voyage-3.5, its
  // -lite) and Cohere's listed Embed 4 rate.
  'voyage-3.5': { inputPerMillion: 0.06, outputPerMillion: 0 },
  'voyage-3.5-lite': { inputPerMillion: 0.02, outputPerMillion: 0 },
  'embed-v4.0': { inputPerMillion: 0.12, outputPerMillion: 0 },
  // The demo tutor (LLM_PROVIDER=mock) runs in-process.
  'demo-tutor': { inputPerMillion: 0, outputPerMillion: 0 },
};

export interface ModelCost {
  costUsd: number;
  /** False when the model has no price: the cost is 0 and the admin page should say so. */
  known: boolean;
}

export interface PricingTable {
  costOf(model: string, usage: TokenUsage): ModelCost;
  /** The merged table, for the admin page. */
  prices(): Record<string, ModelPrice & { source: 'default' | 'override' }>;
}

/** Dated snapshots (claude-haiku-4-5-20251001, gpt-5-nano-2025-08-07) cost what their alias costs. */
function aliasOf(model: string): string {
  return model.replace(/-(\d{8}|\d{4}-\d{2}-\d{2})$/, '');
}

export function createPricingTable(overrides: Record<string, ModelPrice> = {}): PricingTable {
  const table = new Map<string, ModelPrice & { source: 'default' | 'override' }>();
  for (const [model, price] of Object.entries(DEFAULT_PRICES))
    table.set(model, { ...price, source: 'default' });
  for (const [model, price] of Object.entries(overrides))
    table.set(model, { ...price, source: 'override' });

  return {
    costOf(model, usage) {
      const price = table.get(model) ?? table.get(aliasOf(model));
      if (!price) return { costUsd: 0, known: false };
      const cost =
        (usage.inputTokens * price.inputPerMillion + usage.outputTokens * price.outputPerMillion) /
        1_000_000;
      // Six decimals is what usage_events.cost_usd stores; rounding here keeps sums exact.
      return { costUsd: Math.round(cost * 1e6) / 1e6, known: true };
    },
    prices: () => Object.fromEntries(table),
  };
}

/** One-off convenience over the default table plus overrides. */
export function costUsd(
  model: string,
  usage: TokenUsage,
  overrides?: Record<string, ModelPrice>,
): ModelCost {
  return createPricingTable(overrides).costOf(model, usage);
}
