import {
  createStreamGuard,
  GUARD_FALLBACK_ANSWER,
  isGuarded,
  type GuardLimits,
  type GuardTrip,
  type HintLevel,
} from '../../ai/pedagogy/index.js';
import type { LlmMessage, ProviderName, TokenUsage } from '../../ai/types.js';
import type { CallOwner, Tutor } from './tutor.types.js';

export type GuardedAnswerEvent =
  /** `replace`: what was shown so far is withdrawn and this text starts the answer afresh. */
  | { type: 'delta'; text: string; replace: boolean }
  /** The guard rejected attempt 1 (the model's answer) or 2 (the stricter regeneration). */
  | { type: 'trip'; trip: GuardTrip; attempt: number }
  /** The fallback text is ours: no provider or model, and its calls' usage was recorded per call. */
  | {
      type: 'done';
      usage: TokenUsage;
      provider: ProviderName | null;
      model: string | null;
      costUsd: number;
    };

export interface GuardedAnswerInput {
  request: { system: string; messages: LlmMessage[] };
  /** The system prompt for the one regeneration, with the stricter no-code rule. */
  guardRetrySystem: string;
  owner: CallOwner;
  signal: AbortSignal;
  programmingLevel: HintLevel;
  /** The exercise's reference solution, when the question is about one. */
  referenceSolution?: string | undefined;
  limits?: GuardLimits | undefined;
}

/**
 * The answer as the student may see it. From code-level help up, the model's text as it comes.
 * Below it, every delta passes the answer guard; on a trip the call is cancelled (its usage is
 * still recorded by the resilience layer), the model is asked once more with a stricter rule,
 * and if that trips too the student gets a fixed Socratic question. Rejected text is never
 * yielded, so it reaches neither the socket nor the stored message.
 */
export async function* streamGuardedAnswer(
  tutor: Tutor,
  input: GuardedAnswerInput,
): AsyncGenerator<GuardedAnswerEvent> {
  const { request, owner, signal } = input;
  if (!isGuarded(input.programmingLevel)) {
    for await (const event of tutor.streamAnswer(request, owner, signal)) {
      yield event.type === 'delta' ? { ...event, replace: false } : event;
    }
    return;
  }
  let hasShownText = false;
  let mustReplace = false;
  const systems = [request.system, input.guardRetrySystem];
  for (const [index, system] of systems.entries()) {
    const attempt = { ...request, system };
    const guard = createStreamGuard({
      referenceSolution: input.referenceSolution,
      ...(input.limits ? { limits: input.limits } : {}),
    });
    const controller = new AbortController();
    const follow = () => controller.abort();
    signal.addEventListener('abort', follow, { once: true });
    let trip: GuardTrip | undefined;
    let released = '';
    try {
      for await (const event of tutor.streamAnswer(attempt, owner, controller.signal)) {
        // After a trip the stream is only drained until the cancelled call ends.
        if (trip) continue;
        const step = event.type === 'delta' ? guard.push(event.text) : guard.finish();
        if (step.release) {
          released += step.release;
          yield { type: 'delta', text: step.release, replace: mustReplace };
          mustReplace = false;
          hasShownText = true;
        }
        if (step.trip) {
          trip = step.trip;
          controller.abort();
        } else if (event.type === 'done') {
          // A regeneration that says nothing leaves the student with nothing: fall back below.
          if (index > 0 && released.trim() === '') break;
          yield event;
          return;
        }
      }
    } catch (error) {
      // Our own cancellation after a trip is expected; a stop or a failure is the turn's.
      if (trip && !signal.aborted) {
        // fall through to the next attempt
      } else {
        // A stopped or cut-off answer keeps what it had: held text goes out if it passes as is.
        const step = trip ? { release: '' } : guard.finish();
        if (step.release) yield { type: 'delta', text: step.release, replace: mustReplace };
        throw error;
      }
    } finally {
      signal.removeEventListener('abort', follow);
    }
    if (trip) yield { type: 'trip', trip, attempt: index + 1 };
    else if (index === 0) return; // ended without `done`: the caller treats it as a failure
    mustReplace = hasShownText;
  }
  yield { type: 'delta', text: GUARD_FALLBACK_ANSWER, replace: mustReplace };
  yield {
    type: 'done',
    usage: { inputTokens: 0, outputTokens: 0 },
    provider: null,
    model: null,
    costUsd: 0,
  };
}
