import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  customType,
  index,
  integer,
  json,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './users.js';

/**
 * Raw bytes. drizzle-orm 0.45 has no `bytea` builder; node-postgres returns a Buffer and PGlite
 * a Uint8Array, so reads are normalised to Buffer here.
 */
const bytea = customType<{ data: Buffer; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (value) => value,
  fromDriver: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
});

/*
 * Notebooks are stored as `json`, not `jsonb`: `json` keeps the exact text students saved and
 * accepts the `\u0000` escape that `print('\0')` leaves in an output, which `jsonb` rejects
 * (an autosave that can never succeed). Nothing queries inside a notebook.
 */

/** A course unit: an ordered set of notebooks an admin publishes. */
export const modules = pgTable(
  'modules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Stable name for seeds and imports (`hintbook-starter`). */
    slug: text('slug').notNull().unique('modules_slug_unique'),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    position: integer('position').notNull().default(0),
    published: boolean('published').notNull().default(false),
    /** The module's AI policy (`moduleAiPolicySchema`): tutor on, hints only, off, windows. */
    aiPolicy: json('ai_policy'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('modules_position_idx').on(table.position)],
);

/** The original notebook; `version` is bumped each time an admin replaces its content. */
export const moduleNotebooks = pgTable(
  'module_notebooks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    moduleId: uuid('module_id')
      .notNull()
      .references(() => modules.id, { onDelete: 'cascade' }),
    slug: text('slug').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    position: integer('position').notNull().default(0),
    content: json('content').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('module_notebooks_module_slug_idx').on(table.moduleId, table.slug),
    index('module_notebooks_module_position_idx').on(table.moduleId, table.position),
  ],
);

/**
 * Data files copied into the kernel's working folder when a notebook opens: for one notebook,
 * or (notebook_id null) for every notebook of the module. Stored as bytea so CSVs, images and
 * parquet files cost their size, not base64's extra third.
 */
export const moduleFiles = pgTable(
  'module_files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    moduleId: uuid('module_id')
      .notNull()
      .references(() => modules.id, { onDelete: 'cascade' }),
    notebookId: uuid('notebook_id').references(() => moduleNotebooks.id, { onDelete: 'cascade' }),
    path: text('path').notNull(),
    mime: text('mime').notNull().default('application/octet-stream'),
    sizeBytes: integer('size_bytes').notNull(),
    content: bytea('content').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('module_files_module_path_idx')
      .on(table.moduleId, table.path)
      .where(sql`${table.notebookId} is null`),
    uniqueIndex('module_files_notebook_path_idx')
      .on(table.notebookId, table.path)
      .where(sql`${table.notebookId} is not null`),
    // Defence in depth behind dataFilePathSchema: never absolute, never escaping the folder.
    check(
      'module_files_path_relative',
      sql`${table.path} <> '' and ${table.path} !~ '^/' and ${table.path} !~ '(^|/)\\.\\.?(/|$)' and position('\\' in ${table.path}) = 0`,
    ),
  ],
);

/**
 * A student's own copy of a module notebook. `version` counts their saves (optimistic
 * concurrency); `sourceVersion` is the original's version when copied or last reset.
 */
export const notebookCopies = pgTable(
  'notebook_copies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    moduleNotebookId: uuid('module_notebook_id')
      .notNull()
      .references(() => moduleNotebooks.id, { onDelete: 'cascade' }),
    content: json('content').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    version: integer('version').notNull().default(1),
    sourceVersion: integer('source_version').notNull(),
    status: text('status', { enum: ['not_started', 'in_progress', 'completed'] })
      .notNull()
      .default('not_started'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('notebook_copies_user_notebook_idx').on(table.userId, table.moduleNotebookId),
    index('notebook_copies_notebook_idx').on(table.moduleNotebookId),
  ],
);

/** Notebooks a student uploaded or started themselves, outside any module. */
export const personalNotebooks = pgTable(
  'personal_notebooks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    content: json('content').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('personal_notebooks_user_idx').on(table.userId, table.updatedAt)],
);

/**
 * Content shipped with Hintbook that was loaded once (`starter-module@1`). A row here means
 * "never load it again", so an admin who deletes the starter module does not see it come back.
 */
export const contentSeeds = pgTable('content_seeds', {
  key: text('key').primaryKey(),
  seededAt: timestamp('seeded_at', { withTimezone: true }).notNull().defaultNow(),
});
