import type { AdminProviderName, ProviderStatus } from '@hintbook/contracts';

const providerNames: Record<AdminProviderName, string> = {
  anthropic: 'Anthropic',
  openai: 'OpenAI',
  google: 'Google',
  mock: 'Mock (development)',
};

export function providerLabel(provider: string): string {
  return providerNames[provider as AdminProviderName] ?? provider;
}

export function circuitLabel(circuit: ProviderStatus['circuit']): string {
  switch (circuit) {
    case 'closed':
      return 'Healthy';
    case 'half_open':
      return 'Recovering';
    case 'open':
      return 'Failing (paused)';
  }
}
