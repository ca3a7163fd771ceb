import type { Embedder } from '../../ai/embeddings/registry.js';
import type { Config } from '../../config/env.js';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { Mailer } from '../mail/mailer.js';
import type { ChatLimits } from '../usage/quota.service.js';
import type { SettingsDeps } from '../settings/settings.service.js';
import type { RetrievalIndexer } from '../retrieval/retrieval-indexer.js';

/** What the admin panel's services need; built once in app.ts. */
export interface AdminDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** Live limits (settings over env). */
  limits: ChatLimits;
  canReadTranscripts: boolean;
  notebooks: Config['notebooks'];
  /** Where reset links point and how long they work. */
  mail: Config['mail'];
  mailer: Mailer;
  /** Ends every socket of a user at once (disable, delete). */
  disconnectUser: (userId: string) => void;
  settings: SettingsDeps;
  /** Module content changed: re-index it for the tutor, after the response, never blocking. */
  indexer: RetrievalIndexer;
  /** Redaction and retention settings, shown on the overview. */
  privacy: Config['privacy'];
  /** Groups students' questions by meaning; absent without an embedding key (keywords then). */
  embedder?: Embedder | undefined;
}
