import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/env.js';
import { createMockProvider } from './providers/mock.js';
import { createProviderRegistry, DEMO_MODEL } from './registry.js';

describe('provider registry', () => {
  it('builds the configured chain in order with each provider’s models', () => {
    const config = loadConfig({
      LLM_PROVIDER: 'openai',
      LLM_FALLBACK_PROVIDERS: 'anthropic',
      OPENAI_API_KEY: 'sk-test',
      ANTHROPIC_API_KEY: 'sk-ant-test',
    });
    const registry = createProviderRegistry(config.ai);
    expect(
      registry.chain.map((entry) => [entry.provider.name, entry.model, entry.smallModel]),
    ).toEqual([
      ['openai', 'gpt-5-mini', 'gpt-5-nano'],
      ['anthropic', 'claude-sonnet-5-5', 'claude-haiku-4-5'],
    ]);
    expect(registry.get('openai')).toBe(registry.chain[0]!.provider);
    expect(registry.get('google')).toBeUndefined();
    expect(registry).toMatchObject({ isConfigured: true, isDemo: false });
  });

  it('is not configured, and never falls back to the demo, without keys', () => {
    const registry = createProviderRegistry(loadConfig({}).ai);
    expect(registry).toMatchObject({ chain: [], isConfigured: false, isDemo: false });
  });

  it('uses the demo tutor only when asked for explicitly', () => {
    const registry = createProviderRegistry(loadConfig({ LLM_PROVIDER: 'mock' }).ai);
    expect(registry.isDemo).toBe(true);
    expect(registry.chain[0]).toMatchObject({ model: DEMO_MODEL, smallModel: DEMO_MODEL });
  });

  it('lets tests swap a vendor for a scripted mock', () => {
    const stand_in = createMockProvider({ name: 'google' });
    const registry = createProviderRegistry(loadConfig({ GOOGLE_API_KEY: 'k' }).ai, {
      factories: { google: () => stand_in },
    });
    expect(registry.chain[0]!.provider).toBe(stand_in);
    expect(registry.chain[0]!.model).toBe('gemini-2.5-flash');
  });
});
