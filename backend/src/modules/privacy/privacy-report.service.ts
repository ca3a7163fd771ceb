import type { AdminPrivacyResponse, adminGuardTripsQuerySchema } from '@hintbook/contracts';
import type { z } from 'zod';
import { REDACTION_KINDS } from '../../ai/privacy/redaction.js';
import type { Config } from '../../config/env.js';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { windowStarts } from '../usage/quota.service.js';
import { sumRedactionCounts } from './redactions.repository.js';

export interface PrivacyReportDeps {
  db: Db;
  clock: Clock;
  /** Redaction and retention settings, shown on the overview. */
  privacy: Config['privacy'];
}

const DAY_MS = 86_400_000;

/** What was withheld from the providers over a range (default the last 30 days), per kind. */
export async function getPrivacyReport(
  deps: PrivacyReportDeps,
  query: z.output<typeof adminGuardTripsQuerySchema>,
): Promise<AdminPrivacyResponse> {
  const to = query.to ? new Date(query.to) : new Date(windowStarts(deps.clock()).nextDay);
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY_MS);
  const sums = await sumRedactionCounts(deps.db, { from, to });
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    redactionKinds: REDACTION_KINDS.filter((kind) => deps.privacy.redactionKinds.has(kind)),
    answers: sums.answers,
    redactions: { name: sums.names, email: sums.emails, phone: sums.phones, secret: sums.secrets },
    chatRetentionDays: deps.privacy.chatRetentionDays || null,
  };
}
