import { performance } from 'node:perf_hooks';
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../backend/src/db/client.js';
import { selectRows } from '../../backend/src/db/raw.js';
import {
  searchChunksFullText,
  type SearchScope,
} from '../../backend/src/modules/retrieval/retrieval.repository.js';
import { queryTerms } from '../../backend/src/modules/retrieval/search.service.js';
import type { QueryPlan } from './retrieval-measure.js';
import { summarizeValues, type Summary } from './stats.js';

/**
 * `--explore-fts`: what narrowing a large index to the question's rarer words (292f23a) buys
 * and changes. The repository's query against the same ranking over every word of the
 * question, both on the stored `search_vector` column (991bebc): latency, and how much of the
 * every-word top 20 the narrowed query keeps.
 */

export interface FtsVariantResult {
  variant: string;
  timing: Summary;
  samples: number;
  /** Share of the every-word query's top 20 that this variant also returns. */
  overlap: number;
}

/** The repository's visibility rule (retrieval.repository.ts scopeFilter). */
function visible(scope: SearchScope): SQL {
  const course = sql`(c.owner_user_id is null and c.module_id in (select id from modules where published)
    ${scope.moduleId ? sql`and c.module_id = ${scope.moduleId}` : sql``})`;
  return scope.includeOwn ? sql`(c.owner_user_id = ${scope.userId} or ${course})` : course;
}

/** Every word of the question may match: the repository's query before 292f23a. */
function searchEveryWord(db: Db, scope: SearchScope, terms: string[]) {
  if (terms.length === 0) return Promise.resolve([]);
  const query = sql`to_tsquery('english', ${terms.join(' | ')})`;
  return selectRows<{ id: string }>(
    db,
    sql`select c.id from retrieval_chunks c where c.search_vector @@ ${query} and ${visible(scope)}
        order by ts_rank_cd(c.search_vector, ${query}) desc, c.id limit 20`,
  );
}

export async function exploreFullText(
  db: Db,
  plans: QueryPlan[],
  deadlineMs: number,
): Promise<FtsVariantResult[]> {
  const variants = [
    { variant: 'every word (before 292f23a)', run: searchEveryWord },
    {
      variant: 'rarer words (repository)',
      run: (on: Db, scope: SearchScope, terms: string[]) =>
        searchChunksFullText(on, scope, terms, 20),
    },
  ];
  const reference = new Map<QueryPlan, Set<string>>();
  const out: FtsVariantResult[] = [];
  // The second variant runs the questions the first got through before its deadline.
  let chosen = plans;
  for (const variant of variants) {
    const run = (plan: QueryPlan) => variant.run(db, plan.scope, queryTerms(plan.question.text));
    for (const plan of chosen.slice(0, 5)) await run(plan);
    const durations: number[] = [];
    let overlap = 0;
    const stopAt = performance.now() + deadlineMs;
    for (const plan of chosen) {
      if (out.length === 0 && performance.now() > stopAt) break;
      const started = performance.now();
      const hits = await run(plan);
      durations.push(performance.now() - started);
      const ids = new Set(hits.map((hit) => hit.id));
      if (!reference.has(plan)) reference.set(plan, ids);
      const every = reference.get(plan)!;
      overlap += every.size === 0 ? 1 : [...every].filter((id) => ids.has(id)).length / every.size;
    }
    if (out.length === 0) chosen = [...reference.keys()];
    out.push({
      variant: variant.variant,
      timing: summarizeValues(durations),
      samples: durations.length,
      overlap: overlap / Math.max(1, durations.length),
    });
  }
  return out;
}
