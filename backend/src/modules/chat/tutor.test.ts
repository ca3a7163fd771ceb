import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createCircuitBreakers } from '../../ai/circuit-breaker.js';
import { createPricingTable } from '../../ai/pricing.js';
import { createMockProvider } from '../../ai/providers/mock.js';
import type { ProviderRegistry } from '../../ai/registry.js';
import type { CallRecord } from '../../ai/resilient-stream.js';
import { loadConfig } from '../../config/env.js';
import { createTutor } from './tutor.js';

const owner = { userId: 'u', sessionId: 's' };
const request = { system: 'rules', messages: [{ role: 'user' as const, content: 'help' }] };

function setup() {
  const provider = createMockProvider({ name: 'anthropic' });
  const config = loadConfig({ NODE_ENV: 'test', LLM_CIRCUIT_FAILURES: '2' });
  const clock = () => new Date();
  const breakers = createCircuitBreakers(config.ai.circuitBreaker, clock);
  const sideBreakers = createCircuitBreakers(config.ai.circuitBreaker, clock);
  const calls: CallRecord[] = [];
  const lines: string[] = [];
  const tutor = createTutor({
    registry: {} as ProviderRegistry,
    breakers,
    sideBreakers,
    pricing: createPricingTable(),
    settings: config.ai,
    logger: pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) }),
    recordCall: (_owner, call) => void calls.push(call),
    currentChain: () => [{ provider, model: 'claude-sonnet-4-5', smallModel: 'claude-haiku-4-5' }],
    sleep: async () => {},
  });
  return { provider, tutor, breakers, sideBreakers, calls, lines };
}

describe('the tutor over the providers', () => {
  it('keeps answering when classifications keep failing: they count on their own breaker', async () => {
    const { provider, tutor, breakers, sideBreakers } = setup();
    provider.enqueue(
      { failBeforeFirstToken: 'timeout' },
      { structured: { nonsense: true } },
      { failBeforeFirstToken: 'timeout' },
      { text: 'Still here.' },
    );
    for (let i = 0; i < 3; i += 1) expect(await tutor.classify(request, owner)).toBeNull();
    expect(sideBreakers.for('anthropic').status().state).toBe('open');
    expect(breakers.for('anthropic').status().state).toBe('closed');
    let text = '';
    for await (const event of tutor.streamAnswer(request, owner, new AbortController().signal))
      if (event.type === 'delta') text += event.text;
    expect(text).toBe('Still here.');
  });

  it('logs one bounded line per failed classification, not its whole cause chain', async () => {
    const { provider, tutor, lines } = setup();
    provider.enqueue({ structured: { problemSummary: 'x'.repeat(5_000) } });
    expect(await tutor.classify(request, owner)).toBeNull();
    expect(lines).toHaveLength(1);
    expect(lines[0]!.length).toBeLessThan(800);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      msg: 'classification failed; hint level holds',
      errorKind: 'bad_response',
      provider: 'anthropic',
    });
  });

  it('records a timed-out classification with an estimate of what it read, not 0', async () => {
    const config = loadConfig({ NODE_ENV: 'test', LLM_CLASSIFICATION_TIMEOUT: '50ms' });
    const { provider, calls } = setup();
    const tutor = createTutor({
      registry: {} as ProviderRegistry,
      breakers: createCircuitBreakers(config.ai.circuitBreaker, () => new Date()),
      sideBreakers: createCircuitBreakers(config.ai.circuitBreaker, () => new Date()),
      pricing: createPricingTable(),
      settings: config.ai,
      logger: pino({ level: 'silent' }),
      recordCall: (_owner, call) => void calls.push(call),
      currentChain: () => [{ provider, model: 'm', smallModel: 's' }],
    });
    provider.enqueue({ stallAfterTokens: 0 });
    expect(await tutor.classify(request, owner)).toBeNull();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      purpose: 'classification',
      outcome: 'error',
      isEstimate: true,
    });
    expect(calls[0]!.usage!.inputTokens).toBeGreaterThan(0);
  });
});
