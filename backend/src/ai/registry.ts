import type { Config } from '../config/env.js';
import { createAnthropicProvider } from './providers/anthropic.js';
import { createGoogleProvider } from './providers/google.js';
import { createMockProvider } from './providers/mock.js';
import { createOpenAIProvider } from './providers/openai.js';
import type { ProviderDeps, ProviderSettings } from './providers/provider-errors.js';
import type { ChatProvider, ProviderName } from './types.js';

/** The model the demo tutor reports; priced at 0 in pricing.ts. */
export const DEMO_MODEL = 'demo-tutor';

export type AiConfig = Config['ai'];

export type ProviderFactory = (settings: ProviderSettings, deps: ProviderDeps) => ChatProvider;

/** Name → factory. Tests pass `factories: { anthropic: () => mock }` to swap one vendor out. */
export const DEFAULT_FACTORIES: Record<ProviderName, ProviderFactory> = {
  anthropic: createAnthropicProvider,
  openai: createOpenAIProvider,
  google: createGoogleProvider,
  // A short pause between words so the demo visibly streams.
  mock: () => createMockProvider({ tokenDelayMs: 40 }),
};

export interface ChainEntry {
  provider: ChatProvider;
  /** For answers. */
  model: string;
  /** For classification and summaries. */
  smallModel: string;
}

export interface ProviderRegistry {
  /** Any available provider (built on first use), whether or not it is in the env chain. */
  get(name: ProviderName): ChatProvider | undefined;
  /** Providers that can be used: those with a key or base URL, plus `mock` if it was configured. */
  available: ProviderName[];
  /** Configured order: the primary provider first, then the fallbacks. */
  chain: ChainEntry[];
  /** False when no provider is set up: the tutor then says so instead of answering. */
  isConfigured: boolean;
  /** True when the demo tutor answers (first in the chain). */
  isDemo: boolean;
}

export interface RegistryDeps extends ProviderDeps {
  factories?: Partial<Record<ProviderName, ProviderFactory>>;
}

/**
 * Builds one provider per name in `config.chain`, each once. `mock` appears only when it was
 * configured explicitly (env.ts never adds it on its own), so the demo is never chosen silently.
 */
export function createProviderRegistry(
  config: AiConfig,
  deps: RegistryDeps = {},
): ProviderRegistry {
  const factories = { ...DEFAULT_FACTORIES, ...deps.factories };
  const providerDeps: ProviderDeps = deps.fetch ? { fetch: deps.fetch } : {};
  const providers = new Map<ProviderName, ChatProvider>();
  const chain: ChainEntry[] = [];

  for (const name of config.chain) {
    if (providers.has(name)) continue;
    const provider = factories[name](settingsFor(config, name), providerDeps);
    providers.set(name, provider);
    const models =
      name === 'mock' ? { model: DEMO_MODEL, smallModel: DEMO_MODEL } : config.providers[name];
    chain.push({ provider, model: models.model, smallModel: models.smallModel });
  }

  const available = availableProviders(config);
  return {
    get(name) {
      let provider = providers.get(name);
      if (!provider && available.includes(name)) {
        provider = factories[name](settingsFor(config, name), providerDeps);
        providers.set(name, provider);
      }
      return provider;
    },
    available,
    chain,
    isConfigured: chain.length > 0,
    isDemo: config.chain[0] === 'mock',
  };
}

/** The env chain first, then every vendor with a key; `mock` only when set explicitly. */
export function availableProviders(config: AiConfig): ProviderName[] {
  const withKeys = (['anthropic', 'openai', 'google'] as const).filter((name) => {
    const { apiKey, baseUrl } = config.providers[name];
    return Boolean(apiKey) || (name === 'openai' && Boolean(baseUrl));
  });
  return [...new Set<ProviderName>([...config.chain, ...withKeys])];
}

function settingsFor(config: AiConfig, name: ProviderName): ProviderSettings {
  const connectTimeoutMs = config.timeouts.connectMs;
  if (name === 'mock') return { connectTimeoutMs };
  const { apiKey, baseUrl } = config.providers[name];
  return { apiKey, baseUrl, connectTimeoutMs };
}
