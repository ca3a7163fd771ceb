import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import {
  dataFilePathSchema,
  notebookContentSchema,
  type NotebookContent,
} from '@hintbook/contracts';
import type { Db } from '../../db/client.js';
import { withTransaction } from '../../db/transaction.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import { claimContentSeed } from './content-seeds.repository.js';
import type { NotebookExercises } from './learning.types.js';
import { upsertFile } from './module-files.repository.js';
import { insertNotebook } from './module-notebooks.repository.js';
import { insertModule } from './modules.repository.js';

const slugSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/);

const manifestSchema = z.object({
  seedKey: z.string().min(1),
  slug: slugSchema,
  title: z.string().min(1),
  description: z.string().default(''),
  position: z.number().int().default(0),
  published: z.boolean().default(true),
  notebooks: z
    .array(
      z.object({
        slug: slugSchema,
        file: z.string().min(1),
        title: z.string().min(1),
        description: z.string().default(''),
      }),
    )
    .min(1),
  files: z
    .array(
      z.object({
        path: dataFilePathSchema,
        file: z.string().min(1),
        mime: z.string().default('application/octet-stream'),
        /** The notebook's slug; absent means every notebook of the module. */
        notebook: slugSchema.optional(),
      }),
    )
    .default([]),
});

/** A module folder read from disk and fully validated, ready to insert. */
export interface ModuleContent {
  seedKey: string;
  slug: string;
  title: string;
  description: string;
  position: number;
  published: boolean;
  notebooks: Array<{ slug: string; title: string; description: string; content: NotebookContent }>;
  files: Array<{ path: string; mime: string; notebookSlug: string | undefined; content: Buffer }>;
}

/** Reads `module.json` and everything it names; throws on anything invalid, before any write. */
export async function readModuleFolder(dir: string): Promise<ModuleContent> {
  const manifest = manifestSchema.parse(
    JSON.parse(await readFile(path.join(dir, 'module.json'), 'utf8')),
  );
  const notebookSlugs = new Set(manifest.notebooks.map((notebook) => notebook.slug));
  const notebooks = await Promise.all(
    manifest.notebooks.map(async (notebook) => {
      const text = await readFile(inside(dir, notebook.file), 'utf8');
      const parsed = notebookContentSchema.safeParse(JSON.parse(text));
      if (!parsed.success)
        throw new Error(`${notebook.file} is not an nbformat 4 notebook: ${parsed.error.message}`);
      return {
        slug: notebook.slug,
        title: notebook.title,
        description: notebook.description,
        content: parsed.data,
      };
    }),
  );
  const files = await Promise.all(
    manifest.files.map(async (file) => {
      if (file.notebook && !notebookSlugs.has(file.notebook)) {
        throw new Error(
          `${file.path} names notebook "${file.notebook}", which module.json does not list`,
        );
      }
      return {
        path: file.path,
        mime: file.mime,
        notebookSlug: file.notebook,
        content: await readFile(inside(dir, file.file)),
      };
    }),
  );
  return { ...manifest, notebooks, files };
}

function inside(dir: string, relative: string): string {
  const resolved = path.resolve(dir, relative);
  if (!resolved.startsWith(path.resolve(dir) + path.sep))
    throw new Error(`${relative} is outside ${dir}`);
  return resolved;
}

export type SeedOutcome = 'seeded' | 'already_seeded' | 'slug_taken';

/**
 * Loads a module once per installation, in one transaction. The seed key is claimed first: a
 * second replica booting at the same moment waits on that row and then does nothing, and once
 * claimed the module is never written again, whatever admins did to it since (edited,
 * unpublished, deleted). A module an admin already created with the same slug is left alone.
 */
export async function seedModule(
  db: Db,
  content: ModuleContent,
  clock: Clock,
  exercises: Pick<NotebookExercises, 'prepare'>,
): Promise<SeedOutcome> {
  return withTransaction(db, async (tx) => {
    const now = clock();
    if (!(await claimContentSeed(tx, content.seedKey, now))) return 'already_seeded';
    const moduleId = await insertModule(tx, {
      slug: content.slug,
      title: content.title,
      description: content.description,
      position: content.position,
      published: content.published,
      now,
    });
    if (!moduleId) return 'slug_taken';
    const notebookIds = new Map<string, string>();
    for (const [position, notebook] of content.notebooks.entries()) {
      const prepared = exercises.prepare(notebook.content, notebook.slug);
      const id = await insertNotebook(tx, {
        moduleId,
        slug: notebook.slug,
        title: notebook.title,
        description: notebook.description,
        position,
        content: prepared.studentContent,
        now,
      });
      // Two notebooks with one slug: the whole seed is rolled back, like any broken folder.
      if (!id) throw new Error(`${content.slug}: two notebooks use the slug ${notebook.slug}`);
      await prepared.storeExercises(tx, id, now);
      notebookIds.set(notebook.slug, id);
    }
    for (const file of content.files) {
      await upsertFile(
        tx,
        {
          moduleId,
          notebookId: file.notebookSlug ? notebookIds.get(file.notebookSlug)! : null,
          path: file.path,
          mime: file.mime,
          content: file.content,
        },
        now,
      );
    }
    return 'seeded';
  });
}

/**
 * Boot step: loads the shipped starter module if this installation never had it. A missing or
 * broken folder is logged, not fatal: Hintbook still starts, just without the starter.
 */
export async function seedStarterModuleAtBoot(
  deps: { db: Db; clock: Clock; logger: Logger; exercises: Pick<NotebookExercises, 'prepare'> },
  dir: string,
): Promise<void> {
  if (!existsSync(path.join(dir, 'module.json'))) {
    deps.logger.warn(
      { dir },
      'starter module not found; set STARTER_MODULE_DIR or SEED_STARTER_MODULE=false',
    );
    return;
  }
  try {
    const outcome = await seedModule(
      deps.db,
      await readModuleFolder(dir),
      deps.clock,
      deps.exercises,
    );
    deps.logger.info({ outcome }, 'starter module');
  } catch (error) {
    deps.logger.error({ err: error, dir }, 'starter module could not be loaded');
  }
}
