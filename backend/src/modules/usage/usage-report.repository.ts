import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { usageEvents, users } from '../../db/schema/index.js';

export type UsageGroupBy = 'day' | 'week' | 'month';
export type UsageBy = 'model' | 'provider' | 'user';

/**
 * Tokens, cost and calls per UTC period and per model, provider or user, summed in Postgres
 * (`date_trunc` weeks start on Monday, like the allowance windows).
 */
export async function sumUsageByPeriod(
  db: Db,
  options: { from: Date; to: Date; groupBy: UsageGroupBy; by: UsageBy },
) {
  const unit = sql.raw(`'${options.groupBy}'`);
  const period = sql`(date_trunc(${unit}, ${usageEvents.createdAt} at time zone 'UTC') at time zone 'UTC')`;
  const key = {
    model: sql`${usageEvents.model}`,
    provider: sql`${usageEvents.provider}`,
    user: sql`${usageEvents.userId}::text`,
  }[options.by];
  const label =
    options.by === 'user'
      ? sql`(select ${users.username} from ${users} where ${users.id} = ${usageEvents.userId})`
      : sql`null::text`;
  const result = await db.execute(sql`
    select ${period} as period, ${key} as key, ${label} as label,
      coalesce(sum(${usageEvents.inputTokens}), 0)::bigint as input_tokens,
      coalesce(sum(${usageEvents.outputTokens}), 0)::bigint as output_tokens,
      coalesce(sum(${usageEvents.costUsd}), 0)::text as cost_usd,
      count(*)::int as calls
    from ${usageEvents}
    where ${usageEvents.createdAt} >= ${options.from.toISOString()}::timestamptz
      and ${usageEvents.createdAt} < ${options.to.toISOString()}::timestamptz
    group by 1, 2, 3
    order by 1, 2`);
  const rows = (result as unknown as { rows: Array<Record<string, unknown>> }).rows;
  return rows.map((row) => ({
    period: new Date(row.period as string | Date),
    key: (row.key as string | null) ?? null,
    label: (row.label as string | null) ?? null,
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    costUsd: Number(row.cost_usd),
    calls: Number(row.calls),
  }));
}
