import type { RequestHandler } from 'express';
import type { Db } from '../../db/client.js';
import type { Logger } from '../../lib/logger.js';
import { findAllPublishedModulePolicies } from './exercises.repository.js';

/** How long this process trusts its copy: another replica's change applies here within it. */
export const PUBLISHED_POLICIES_TTL_MS = 5_000;

export interface PublishedPolicy {
  moduleId: string;
  aiPolicy: unknown;
}

/**
 * The stored AI policies of every published module, kept per process so a chat turn does not
 * read them each time (exercises/turn-rules.ts). Policies are kept as stored, not evaluated: a
 * scheduled window starts on time whatever the copy's age. An admin change made through this
 * process drops the copy at once (`invalidate`, called after every admin write); one made on
 * another replica is seen within PUBLISHED_POLICIES_TTL_MS, because a copy older than that is
 * read again before it is used (never served stale).
 */
export interface PublishedPolicies {
  current(): Promise<PublishedPolicy[]>;
  invalidate(): void;
}

export function createPublishedPolicies(deps: {
  db: Db;
  logger?: Logger | undefined;
  /** Monotonic milliseconds; tests move it. */
  now?: () => number;
  ttlMs?: number;
}): PublishedPolicies {
  const now = deps.now ?? (() => performance.now());
  const ttlMs = deps.ttlMs ?? PUBLISHED_POLICIES_TTL_MS;
  let cached: { rows: PublishedPolicy[]; readAt: number } | undefined;
  let inFlight: { promise: Promise<PublishedPolicy[]>; generation: number } | undefined;
  // Bumped by every invalidation: a read that started before one must not be kept after it.
  let generation = 0;

  const read = () => {
    const mine = generation;
    const startedAt = now();
    const promise = findAllPublishedModulePolicies(deps.db).then(
      (rows) => {
        if (mine === generation) cached = { rows, readAt: startedAt };
        return rows;
      },
      (error: unknown) => {
        deps.logger?.warn({ err: error }, 'could not read the published module policies');
        throw error;
      },
    );
    const entry = { promise, generation: mine };
    inFlight = entry;
    void promise
      .finally(() => {
        if (inFlight === entry) inFlight = undefined;
      })
      .catch(() => undefined);
    return promise;
  };

  return {
    current() {
      if (cached && now() - cached.readAt < ttlMs) return Promise.resolve(cached.rows);
      // Concurrent turns share one read, unless an admin change came after it started.
      if (inFlight && inFlight.generation === generation) return inFlight.promise;
      return read();
    },
    invalidate() {
      generation += 1;
      cached = undefined;
    },
  };
}

/**
 * Drops the copy once any admin write has answered (committed): publishing, unpublishing,
 * deleting or importing a module and saving its AI policy all go through `/api/admin`. Dropping
 * it for writes that changed no policy costs one read on the next turn.
 */
export function invalidateAfterAdminWrites(policies: PublishedPolicies): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.once('finish', () => policies.invalidate());
      // An aborted request may still have committed.
      res.once('close', () => policies.invalidate());
    }
    next();
  };
}
