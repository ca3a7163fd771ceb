import type { EmbeddingCallRecord } from '../../ai/embeddings/registry.js';
import type { CallRecord } from '../../ai/resilient-stream.js';
import type { PricingTable } from '../../ai/pricing.js';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import { findRecentProviderCalls, insertUsageEvent, listUsageForUser } from './usage.repository.js';

export interface UsageOwner {
  userId: string | null;
  sessionId?: string | null | undefined;
  messageId?: string | null | undefined;
}

/**
 * Stores one provider call, whatever its outcome, with the vendor's own token counts and the
 * cost from the pricing table. Never throws: losing a usage row must not fail a student's turn,
 * but it is logged loudly because budgets depend on it.
 */
export async function recordProviderCall(
  deps: { db: Db; pricing: PricingTable; logger: Logger; clock: Clock },
  owner: UsageOwner,
  call: CallRecord,
): Promise<void> {
  const usage = call.usage ?? { inputTokens: 0, outputTokens: 0 };
  try {
    await insertUsageEvent(deps.db, {
      userId: owner.userId,
      sessionId: owner.sessionId ?? null,
      messageId: owner.messageId ?? null,
      purpose: call.purpose,
      isEstimate: call.isEstimate ?? false,
      ...callColumns(deps, call, usage),
    });
  } catch (error) {
    deps.logger.error(
      { err: error, provider: call.provider, purpose: call.purpose },
      'could not store usage',
    );
  }
}

/**
 * Stores one embedding call (indexing is background work for the whole installation, so it has
 * no user). Never throws, like recordProviderCall.
 */
export async function recordEmbeddingCall(
  deps: { db: Db; pricing: PricingTable; logger: Logger; clock: Clock },
  call: EmbeddingCallRecord,
): Promise<void> {
  const usage = { inputTokens: call.inputTokens, outputTokens: 0 };
  try {
    await insertUsageEvent(deps.db, {
      userId: null,
      sessionId: null,
      messageId: null,
      purpose: 'embedding',
      ...callColumns(deps, call, usage),
    });
  } catch (error) {
    deps.logger.error({ err: error, provider: call.provider }, 'could not store embedding usage');
  }
}

/** Per provider over calls since then: counts, the last failure and the last success. */
export function listRecentProviderCalls(db: Db, since: Date) {
  return findRecentProviderCalls(db, since);
}

/** The columns every stored call shares: vendor, the vendor's token counts, cost, outcome. */
function callColumns(
  deps: { pricing: PricingTable; clock: Clock },
  call: {
    provider: string;
    model: string;
    outcome: 'ok' | 'error' | 'interrupted' | 'aborted';
    error?: { kind: string } | undefined;
    durationMs: number;
  },
  usage: { inputTokens: number; outputTokens: number },
) {
  return {
    provider: call.provider,
    model: call.model,
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    costUsd: deps.pricing.costOf(call.model, usage).costUsd,
    outcome: call.outcome,
    errorKind: call.error?.kind ?? null,
    durationMs: Math.round(call.durationMs),
    createdAt: deps.clock(),
  };
}

/** The usage section of a student's data export: every provider call made for them. */
export function exportUserData(db: Db, userId: string) {
  return listUsageForUser(db, userId);
}
