import { classifyTurn, type Classification } from '../../ai/pedagogy/index.js';
import type { CircuitBreakers } from '../../ai/circuit-breaker.js';
import { AllProvidersFailedError, TurnInterruptedError } from '../../ai/fallback-errors.js';
import type { PricingTable } from '../../ai/pricing.js';
import type { ChainEntry, ProviderRegistry } from '../../ai/registry.js';
import {
  generateStructuredWithFallback,
  streamWithFallback,
  type CallPurpose,
  type CallRecord,
  type FallbackTarget,
  type ResilienceOptions,
} from '../../ai/resilient-stream.js';
import type { Config } from '../../config/env.js';
import type { Logger } from '../../lib/logger.js';
import type { LlmMessage } from '../../ai/types.js';
import { describeFailure } from '../../ai/failure-detail.js';
import { AnswerFailedError, type AnswerEvent, type CallOwner, type Tutor } from './tutor.types.js';

const SUMMARY_TIMEOUT_MS = 20_000;
/** The longest summary asked for. */
export const SUMMARY_OUTPUT_TOKENS = 600;

export interface TutorDeps {
  registry: ProviderRegistry;
  /** Answers' breakers: what cuts a provider off from answering. */
  breakers: CircuitBreakers;
  /**
   * Classification and summary calls have their own, so their timeouts and bad JSON (a small
   * model's usual failures) never cut answers off from a provider that answers fine.
   */
  sideBreakers: CircuitBreakers;
  pricing: PricingTable;
  settings: Config['ai'];
  logger: Logger;
  recordCall: (owner: CallOwner, call: CallRecord) => void;
  /** Tests shrink backoff waits; production uses real sleeps. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** The chain in effect now (admin settings); read per call. Default: the registry's. */
  currentChain?: () => ChainEntry[];
  /** An answer failed in front of the student (the turn ends with chat:error). */
  onAnswerFailed?: (owner: CallOwner) => void;
}

/** The chat's AI layer over the provider registry, the resilience rules and usage recording. */
export function createTutor(deps: TutorDeps): Tutor {
  const { registry, settings } = deps;
  const currentChain = deps.currentChain ?? (() => registry.chain);
  const answerChain = () => currentChain().map(({ provider, model }) => ({ provider, model }));
  const smallChain = () =>
    currentChain().map(({ provider, smallModel }) => ({ provider, model: smallModel }));
  const resilience = (
    owner: CallOwner,
    purpose: CallPurpose,
    signal: AbortSignal,
  ): ResilienceOptions => ({
    signal,
    purpose,
    maxRetries: settings.maxRetries,
    breakers: purpose === 'answer' ? deps.breakers : deps.sideBreakers,
    onCall: (call: CallRecord) => deps.recordCall(owner, call),
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
  });

  return {
    isConfigured: () => currentChain().length > 0,
    isDemo: () => currentChain()[0]?.provider.name === 'mock',

    async classify(request, owner, signal): Promise<Classification | null> {
      try {
        const result = await generateStructuredWithFallback(
          smallChain(),
          { ...request, schema: classifyTurn, maxOutputTokens: 400 },
          {
            ...resilience(owner, 'classification', signal ?? new AbortController().signal),
            // One quick try per provider: its verdict is only useful before the next question.
            maxRetries: 0,
            // Past this the verdict is dropped and the state stays as the answer left it.
            timeoutMs: settings.timeouts.classificationMs,
          },
        );
        return result.value;
      } catch (error) {
        if (!signal?.aborted)
          deps.logger.warn(
            { ...describeFailure(error), sessionId: owner.sessionId },
            'classification failed; hint level holds',
          );
        return null;
      }
    },

    async summarize(request, owner, stop): Promise<string | null> {
      const timeout = AbortSignal.timeout(SUMMARY_TIMEOUT_MS);
      const signal = stop ? AbortSignal.any([stop, timeout]) : timeout;
      let text = '';
      try {
        for await (const event of streamWithFallback(
          smallChain(),
          { ...request, maxOutputTokens: SUMMARY_OUTPUT_TOKENS },
          {
            ...resilience(owner, 'summary', signal),
            firstTokenMs: settings.timeouts.firstTokenMs,
            tokenGapMs: settings.timeouts.tokenGapMs,
          },
        )) {
          if (event.type === 'delta') text += event.text;
        }
        return text.trim() || null;
      } catch (error) {
        if (!stop?.aborted)
          deps.logger.warn(
            { ...describeFailure(error), sessionId: owner.sessionId },
            'summary failed; keeping the previous one',
          );
        return null;
      }
    },

    streamAnswer: (request, owner, signal) =>
      streamAnswer(deps, answerChain(), request, owner, signal, resilience),
  };
}

async function* streamAnswer(
  deps: TutorDeps,
  chain: FallbackTarget[],
  request: { system: string; messages: LlmMessage[] },
  owner: CallOwner,
  signal: AbortSignal,
  resilience: (owner: CallOwner, purpose: CallPurpose, signal: AbortSignal) => ResilienceOptions,
): AsyncGenerator<AnswerEvent> {
  const { timeouts, maxOutputTokens } = deps.settings;
  try {
    for await (const event of streamWithFallback(
      chain,
      { ...request, maxOutputTokens },
      {
        ...resilience(owner, 'answer', signal),
        firstTokenMs: timeouts.firstTokenMs,
        tokenGapMs: timeouts.tokenGapMs,
      },
    )) {
      if (event.type === 'delta') yield event;
      else if (event.type === 'done') {
        const cost = deps.pricing.costOf(event.model, event.usage);
        yield {
          type: 'done',
          usage: event.usage,
          provider: event.provider,
          model: event.model,
          costUsd: cost.costUsd,
        };
      }
    }
  } catch (error) {
    if (signal.aborted) throw error;
    if (error instanceof TurnInterruptedError) {
      deps.onAnswerFailed?.(owner);
      throw new AnswerFailedError(true, error.usage, error.provider, error.model, { cause: error });
    }
    if (error instanceof AllProvidersFailedError) {
      deps.onAnswerFailed?.(owner);
      deps.logger.warn(
        { ...describeFailure(error), sessionId: owner.sessionId },
        'no provider could answer',
      );
      throw new AnswerFailedError(false, undefined, error.lastError?.provider, undefined, {
        cause: error,
      });
    }
    throw error;
  }
}
