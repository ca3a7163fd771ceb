import type { AdminGuardTripsResponse, adminGuardTripsQuerySchema } from '@hintbook/contracts';
import type { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { windowStarts } from '../usage/quota.service.js';

export interface GuardTripReportDeps {
  db: Db;
  clock: Clock;
}
import { countGuardTrips } from './guard-trips.repository.js';

const DAY_MS = 86_400_000;

/** How often the answer guard stepped in, by reason, and how often only the fallback was left. */
export async function getGuardTripReport(
  deps: GuardTripReportDeps,
  query: z.output<typeof adminGuardTripsQuerySchema>,
): Promise<AdminGuardTripsResponse> {
  const to = query.to ? new Date(query.to) : new Date(windowStarts(deps.clock()).nextDay);
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY_MS);
  const rows = await countGuardTrips(deps.db, { from, to });
  const byReason = { code_lines: 0, solution_overlap: 0 };
  let fallbacks = 0;
  for (const row of rows) {
    byReason[row.reason] += row.trips;
    // The regeneration is attempt 2; when it trips, the fixed question is all that is left.
    if (row.attempt === 2) fallbacks += row.trips;
  }
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    total: byReason.code_lines + byReason.solution_overlap,
    byReason,
    fallbacks,
  };
}
