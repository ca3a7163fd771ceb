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
  /**
   * For a turn whose calls started before its hold was taken (created without a reservation):
   * the caps become the hold's, minus what was already charged; returns the limit that crosses.
   */
  holdTo(reservation: TurnReservation): SpendLimit | null;
  /** Tokens left, for logs and tests. */
  tokensLeft(): number;
}

export function createSpendMeter(
  reservation: TurnReservation | undefined,
  costOf: (usage: TokenUsage) => number,
): SpendMeter {
  let tokensLeft = reservation?.capTokens ?? Infinity;
  let usdLeft = reservation?.capUsd ?? Infinity;
  // What was charged, so a hold taken later can start from it (`holdTo`).
  const charged: TokenUsage[] = [];
  const check = (tokens: number, usd: number): SpendLimit | null => {
    if (tokens > tokensLeft) return 'allowance';
    if (usd > usdLeft) return 'budget';
    return null;
  };
  const usdOf = (usage: TokenUsage) => (Number.isFinite(usdLeft) ? costOf(usage) : 0);
  return {
    wouldExceed: (usage) => check(usage.inputTokens + usage.outputTokens, usdOf(usage)),
    charge(usage) {
      charged.push(usage);
      tokensLeft -= usage.inputTokens + usage.outputTokens;
      usdLeft -= usdOf(usage);
      if (tokensLeft < 0) return 'allowance';
      if (usdLeft < 0) return 'budget';
      return null;
    },
    holdTo(held) {
      tokensLeft = held.capTokens ?? Infinity;
      usdLeft = held.capUsd ?? Infinity;
      let crossed: SpendLimit | null = null;
      for (const usage of charged.splice(0)) crossed = this.charge(usage) ?? crossed;
      return crossed;
    },
    tokensLeft: () => tokensLeft,
  };
}
