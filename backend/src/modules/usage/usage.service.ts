import { randomUUID } from 'node:crypto';
import type { EmbeddingCallRecord } from '../../ai/embeddings/registry.js';
import type { CallRecord } from '../../ai/resilient-stream.js';
import type { PricingTable } from '../../ai/pricing.js';
import type { Db } from '../../db/client.js';
import { BOOKKEEPING_RETRY, retryTransient } from '../../db/retry.js';
import type { Clock } from '../../lib/clock.js';
import { describeUnexpectedError } from '../../lib/log-detail.js';
import type { Logger } from '../../lib/logger.js';
import { findRecentProviderCalls, insertUsageEvent, listUsageForUser } from './usage.repository.js';

export interface UsageOwner {
  userId: string | null;
  sessionId?: string | null | undefined;
  messageId?: string | null | undefined;
  /** Whether the conversation's row exists, while its store runs beside the call. */
  sessionStored?: Promise<boolean> | undefined;
}

/**
 * The owner a call's rows name: a conversation stored beside the call is waited for (its row
 * must exist before anything references it), and left out when its store failed.
 */
export async function settledOwner(owner: UsageOwner): Promise<UsageOwner> {
  if (!owner.sessionStored) return owner;
  const isStored = await owner.sessionStored.catch(() => false);
  return {
    userId: owner.userId,
    sessionId: isStored ? owner.sessionId : null,
    messageId: owner.messageId,
  };
}

/**
 * Stores one provider call, whatever its outcome, with the vendor's own token counts and the
 * cost from the pricing table. Tried again while the database is busy or briefly unreachable
 * (BOOKKEEPING_RETRY: nobody waits for it). Never throws: losing a usage row must not fail a
 * student's turn. Resolves false when the row could not be stored in the end, after one error
 * line that carries the call's counts, so budgets can be reconciled by hand.
 */
export async function recordProviderCall(
  deps: UsageDeps,
  owner: UsageOwner,
  call: CallRecord,
): Promise<boolean> {
  const usage = call.usage ?? { inputTokens: 0, outputTokens: 0 };
  const stored = await settledOwner(owner);
  return storeEvent(deps, {
    userId: stored.userId,
    sessionId: stored.sessionId ?? null,
    messageId: stored.messageId ?? null,
    purpose: call.purpose,
    isEstimate: call.isEstimate ?? false,
    ...callColumns(deps, call, usage),
  });
}

/**
 * Stores one embedding call (indexing is background work for the whole installation, so it has
 * no user). Never throws, like recordProviderCall.
 */
export async function recordEmbeddingCall(
  deps: UsageDeps,
  call: EmbeddingCallRecord,
): Promise<boolean> {
  const usage = { inputTokens: call.inputTokens, outputTokens: 0 };
  return storeEvent(deps, {
    userId: null,
    sessionId: null,
    messageId: null,
    purpose: 'embedding',
    ...callColumns(deps, call, usage),
  });
}

type UsageDeps = { db: Db; pricing: PricingTable; logger: Logger; clock: Clock };

async function storeEvent(
  deps: UsageDeps,
  event: Omit<Parameters<typeof insertUsageEvent>[1], 'id'>,
): Promise<boolean> {
  // One id for every try: a try that committed although its connection dropped is not doubled.
  const row = { ...event, id: randomUUID() };
  try {
    await retryTransient(() => insertUsageEvent(deps.db, row), BOOKKEEPING_RETRY);
    return true;
  } catch (error) {
    // Bounded: never the error itself, whose message carries the query's parameters.
    deps.logger.error(
      {
        ...describeUnexpectedError(error),
        userId: row.userId,
        messageId: row.messageId,
        purpose: row.purpose,
        provider: row.provider,
        model: row.model,
        inputTokens: row.inputTokens,
        outputTokens: row.outputTokens,
        costUsd: row.costUsd,
      },
      'could not store usage',
    );
    return false;
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
