import type { ListProviderErrorsResponse, ProviderErrorEntry } from '@hintbook/contracts';
import type { z } from 'zod';
import type { listProviderErrorsQuerySchema } from '@hintbook/contracts';
import type { CallRecord } from '../../ai/resilient-stream.js';
import type { Db } from '../../db/client.js';
import { withTransaction } from '../../db/transaction.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import {
  decodeCursor,
  encodeCursor,
  recordAudit,
  type AuditActor,
} from '../audit/audit.service.js';
import { settledOwner, type UsageOwner } from '../usage/usage.service.js';
import { providerErrorNotFound } from './usage.errors.js';
import {
  countUnresolvedProviderErrors,
  findProviderErrors,
  insertProviderError,
  markLatestErrorSeen,
  resolveProviderErrorRow,
  type ProviderErrorRow,
} from './provider-errors.repository.js';

/** Short, fixed descriptions: vendor messages may quote request bodies, so they are not stored. */
const DESCRIPTIONS: Record<string, string> = {
  rate_limited: 'The provider rate-limited the request',
  overloaded: 'The provider was overloaded',
  server: 'The provider answered with a server error',
  timeout: 'The provider did not answer in time',
  connection: 'Could not connect to the provider',
  bad_response: 'The provider sent a malformed answer',
  auth: 'The provider refused the API key',
  invalid_request: 'The provider rejected the request (model name?)',
  interrupted: 'The answer stopped part-way',
};

export interface ProviderErrorRecorder {
  /** Stores a failed or interrupted call; ok and aborted calls are ignored. Never throws. */
  record(owner: UsageOwner, call: CallRecord): void;
  /** The answer for this owner ended in front of the student with an error. */
  markSeen(owner: UsageOwner): void;
  /** Resolves once every queued write is done (tests, shutdown). */
  flush(): Promise<void>;
}

/**
 * Writes go through one queue, so "the student saw it" always lands after the failure it
 * marks. Failures are rare, so a serial queue costs nothing.
 */
export function createProviderErrorRecorder(deps: {
  db: Db;
  clock: Clock;
  logger: Logger;
}): ProviderErrorRecorder {
  let queue: Promise<void> = Promise.resolve();
  const enqueue = (write: () => Promise<void>) => {
    queue = queue.then(write).catch((error: unknown) => {
      deps.logger.error({ err: error }, 'could not store a provider error');
    });
  };
  return {
    record(owner, call) {
      if (call.outcome !== 'error' && call.outcome !== 'interrupted') return;
      const kind = call.error?.kind ?? call.outcome;
      const createdAt = deps.clock();
      enqueue(async () => {
        const stored = await settledOwner(owner);
        await insertProviderError(deps.db, {
          provider: call.provider,
          model: call.model,
          purpose: call.purpose,
          errorKind: kind,
          status: call.error?.options.status ?? null,
          message: DESCRIPTIONS[kind] ?? 'The provider call failed',
          userId: stored.userId,
          sessionId: stored.sessionId ?? null,
          messageId: stored.messageId ?? null,
          createdAt,
        });
      });
    },
    markSeen(owner) {
      const { messageId } = owner;
      if (messageId) enqueue(() => markLatestErrorSeen(deps.db, messageId));
    },
    flush: () => queue,
  };
}

function toEntry(row: ProviderErrorRow): ProviderErrorEntry {
  return {
    id: row.id,
    provider: row.provider,
    model: row.model,
    purpose: row.purpose,
    errorKind: row.errorKind,
    status: row.status,
    message: row.message,
    studentSawError: row.studentSawError,
    userId: row.userId,
    sessionId: row.sessionId,
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    resolvedBy: row.resolvedBy,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function listProviderErrors(
  db: Db,
  query: z.output<typeof listProviderErrorsQuerySchema>,
): Promise<ListProviderErrorsResponse> {
  const [rows, unresolvedCount] = await Promise.all([
    findProviderErrors(db, {
      ...query,
      before: decodeCursor(query.before),
      limit: query.limit + 1,
    }),
    countUnresolvedProviderErrors(db),
  ]);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    errors: page.map(toEntry),
    unresolvedCount,
    nextBefore: rows.length > query.limit && last ? encodeCursor(last) : null,
  };
}

export async function resolveProviderError(
  deps: { db: Db; clock: Clock },
  actor: AuditActor,
  id: string,
): Promise<ProviderErrorEntry> {
  const now = deps.clock();
  return withTransaction(deps.db, async (tx) => {
    const row = await resolveProviderErrorRow(tx, id, actor.id, now);
    if (!row) throw providerErrorNotFound();
    await recordAudit(
      tx,
      actor,
      {
        action: 'provider_error.resolve',
        targetType: 'provider_error',
        targetId: id,
        details: { provider: row.provider, errorKind: row.errorKind },
      },
      now,
    );
    return toEntry(row);
  });
}
