import type { TokenUsage } from '../../ai/types.js';
import type { TurnReservation } from '../usage/quota.service.js';

/** Which limit a turn ran into. */
export type SpendLimit = 'allowance' | 'budget';

/**
 * Keeps one turn inside what it reserved: each call is checked before it is made (an optional
 * call the turn cannot afford is skipped, the answer is not started) and the answer is charged
 * as its text arrives, from the same estimates usage falls back to. The vendor bills a chunk
 * once it was generated, so an answer can pass its cap by at most the chunk that crossed it.
 */
export interface SpendMeter {
  /** Whether `usage` still fits; null when it does, else the limit it would cross. */
  wouldExceed(usage: TokenUsage): SpendLimit | null;
  /** Charges `usage`; returns the limit now crossed, if any. */
  charge(usage: TokenUsage): SpendLimit | null;
  /** Tokens left, for logs and tests. */
  tokensLeft(): number;
}

export function createSpendMeter(
  reservation: TurnReservation | undefined,
  costOf: (usage: TokenUsage) => number,
): SpendMeter {
  let tokensLeft = reservation?.capTokens ?? Infinity;
  let usdLeft = reservation?.capUsd ?? Infinity;
  const check = (tokens: number, usd: number): SpendLimit | null => {
    if (tokens > tokensLeft) return 'allowance';
    if (usd > usdLeft) return 'budget';
    return null;
  };
  const usdOf = (usage: TokenUsage) => (Number.isFinite(usdLeft) ? costOf(usage) : 0);
  return {
    wouldExceed: (usage) => check(usage.inputTokens + usage.outputTokens, usdOf(usage)),
    charge(usage) {
      tokensLeft -= usage.inputTokens + usage.outputTokens;
      usdLeft -= usdOf(usage);
      if (tokensLeft < 0) return 'allowance';
      if (usdLeft < 0) return 'budget';
      return null;
    },
    tokensLeft: () => tokensLeft,
  };
}
