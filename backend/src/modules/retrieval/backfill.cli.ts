import { createPricingTable } from '../../ai/pricing.js';
import { loadConfig } from '../../config/env.js';
import { openDatabase } from '../../db/client.js';
import { systemClock } from '../../lib/clock.js';
import { createLogger } from '../../lib/logger.js';
import { backfillRetrieval } from './indexing.service.js';
import { createRetrievalDeps } from './retrieval.factory.js';

// `npm run retrieval:backfill`: chunks every notebook and data file, embeds what changed.
// Safe to re-run: unchanged chunks are neither rewritten nor re-embedded.
const config = loadConfig();
const logger = createLogger(config.logLevel);
const database = openDatabase({ url: config.database.url, dataDir: config.database.dataDir });
try {
  const deps = createRetrievalDeps({
    db: database.db,
    clock: systemClock,
    logger,
    pricing: createPricingTable(config.ai.pricingOverrides),
    embeddings: config.embeddings,
  });
  const result = await backfillRetrieval(deps);
  logger.info({ ...result, embeddings: Boolean(deps.embedder) }, 'retrieval backfill finished');
} finally {
  await database.close();
}
