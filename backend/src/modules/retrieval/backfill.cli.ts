import { createPricingTable } from '../../ai/pricing.js';
import { loadConfig } from '../../config/env.js';
import { openDatabaseOrExit } from '../../db/open-or-exit.js';
import { applyMigrations } from '../../db/migrate.js';
import { systemClock } from '../../lib/clock.js';
import { createLogger } from '../../lib/logger.js';
import { backfillRetrieval, type BackfillProgress } from './indexing.service.js';
import { createRetrievalDeps } from './retrieval.factory.js';

// `npm run retrieval:backfill`: chunks every notebook and data file, embeds what changed.
// Safe to re-run: unchanged chunks are neither rewritten nor re-embedded. The server does the
// same in the background at every start; this is for operators who want to watch it finish.
const config = loadConfig();
const logger = createLogger(config.logLevel);
const pricing = createPricingTable(config.ai.pricingOverrides);
const database = openDatabaseOrExit({ url: config.database.url, dataDir: config.database.dataDir });
const spent = { tokens: 0, costUsd: 0, failedCalls: 0 };
try {
  await applyMigrations(database, config.database.migrationsDir);
  const deps = createRetrievalDeps({
    db: database.db,
    clock: systemClock,
    logger,
    pricing,
    embeddings: config.embeddings,
    observeCall: (call) => {
      spent.tokens += call.inputTokens;
      spent.costUsd += pricing.costOf(call.model, {
        inputTokens: call.inputTokens,
        outputTokens: 0,
      }).costUsd;
      if (call.outcome === 'error') spent.failedCalls += 1;
    },
  });
  if (!deps.embedder) console.warn('No embedding key: chunking for full-text search only.');
  const started = performance.now();
  const result = await backfillRetrieval(deps, showProgress);
  process.stderr.write('\n');
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.warn(
    `Indexed in ${seconds} s: ${result.embedded} chunks embedded, ${spent.tokens} tokens, ` +
      `$${spent.costUsd.toFixed(spent.costUsd < 0.01 ? 6 : 4)}${spent.failedCalls ? `, ${spent.failedCalls} failed calls retried` : ''}.`,
  );
} finally {
  await database.close();
}

/** A bar on a terminal; a line every tenth of the way in a log. */
function showProgress({ done, total }: BackfillProgress) {
  const width = 30;
  const filled = Math.round((done / Math.max(total, 1)) * width);
  const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} notebooks, ${spent.tokens} tokens`;
  if (process.stderr.isTTY) process.stderr.write(`\r${line}`);
  else if (done === total || done % Math.max(1, Math.ceil(total / 10)) === 0)
    process.stderr.write(`${line}\n`);
}
