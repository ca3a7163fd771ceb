import { sql } from 'drizzle-orm';
import {
  customType,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { moduleFiles, moduleNotebooks, modules, personalNotebooks } from './learning.js';
import { users } from './users.js';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * Pieces of course material and of students' own notebooks that the tutor can be given as
 * background. `owner_user_id` null means course material (anyone who may see the module);
 * otherwise the chunk belongs to that student alone.
 *
 * The `embedding vector(N)` column and its HNSW index are NOT declared here: they are created
 * by a custom migration only when the server offers pgvector, so this schema must not mention
 * them (the drift check would demand them everywhere). Repositories reach them with raw SQL.
 */
export const retrievalChunks = pgTable(
  'retrieval_chunks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerUserId: uuid('owner_user_id').references(() => users.id, { onDelete: 'cascade' }),
    moduleId: uuid('module_id').references(() => modules.id, { onDelete: 'cascade' }),
    moduleNotebookId: uuid('module_notebook_id').references(() => moduleNotebooks.id, {
      onDelete: 'cascade',
    }),
    moduleFileId: uuid('module_file_id').references(() => moduleFiles.id, { onDelete: 'cascade' }),
    personalNotebookId: uuid('personal_notebook_id').references(() => personalNotebooks.id, {
      onDelete: 'cascade',
    }),
    /** What the chunk was cut from (`module_notebook:<id>`); re-indexing replaces per source. */
    sourceKey: text('source_key').notNull(),
    /** Order within the source; several chunks may share a cell when a cell is long. */
    position: integer('position').notNull(),
    /** The notebook cell it came from (0-based), null for data files. */
    cellIndex: integer('cell_index'),
    kind: text('kind', { enum: ['markdown', 'code', 'data_file'] }).notNull(),
    /** Short citation shown to the tutor and student: "Module · Notebook · cell 4". */
    citation: text('citation').notNull(),
    content: text('content').notNull(),
    /** sha256 of what is embedded; a chunk is re-embedded only when this changes. */
    contentHash: text('content_hash').notNull(),
    /**
     * The words full-text search matches and ranks, parsed once when the chunk is written:
     * ranking re-parsed every matching chunk's text otherwise (50 ms at 100k chunks in one
     * module, seconds across all modules; bench/README.md, "Retrieval").
     */
    searchVector: tsvector('search_vector')
      .notNull()
      .generatedAlwaysAs(sql`to_tsvector('english', "citation" || ' ' || "content")`),
    embeddingModel: text('embedding_model'),
    embeddedAt: timestamp('embedded_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('retrieval_chunks_source_position_idx').on(table.sourceKey, table.position),
    index('retrieval_chunks_owner_idx').on(table.ownerUserId),
    index('retrieval_chunks_module_idx').on(table.moduleId),
    // Full-text search works everywhere, with or without pgvector.
    index('retrieval_chunks_search_idx').using('gin', table.searchVector),
  ],
);
