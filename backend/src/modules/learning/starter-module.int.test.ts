import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notebookContentSchema, type NotebookCopy } from '@hintbook/contracts';
import { loadConfig } from '../../config/env.js';
import { contentSeeds, moduleFiles, moduleNotebooks, modules } from '../../db/schema/index.js';
import { registerThroughApi } from '../../test/factories.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { findModuleBySlug, updateModuleRow } from './modules.repository.js';
import { readModuleFolder, seedModule, seedStarterModuleAtBoot } from './starter-module.js';
import { notebookExercises } from '../exercises/notebook-exercises.js';

const starterDir = loadConfig({}).notebooks.starterModuleDir;
const clock = () => new Date();
const silent = pino({ level: 'silent' });

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('the shipped starter module', () => {
  it('has a few valid nbformat notebooks with exercises, and the data file the last one reads', async () => {
    const content = await readModuleFolder(starterDir);
    expect(content.notebooks.length).toBeGreaterThanOrEqual(3);
    for (const notebook of content.notebooks) {
      expect(notebookContentSchema.safeParse(notebook.content).success).toBe(true);
      const text = JSON.stringify(notebook.content);
      expect(text, notebook.slug).toContain('Exercise');
      expect(notebook.content.cells.some((cell) => cell.cell_type === 'code')).toBe(true);
    }
    expect(content.files).toEqual([
      expect.objectContaining({ path: 'scores.csv', notebookSlug: 'working-with-data' }),
    ]);
    expect(content.files[0]!.content.toString('utf8')).toMatch(/^name,class,score\n/);
  });

  it('loads once however many times Hintbook boots, including two replicas at the same moment', async () => {
    const boot = () =>
      seedStarterModuleAtBoot(
        { db: t.database.db, clock, logger: silent, exercises: notebookExercises },
        starterDir,
      );
    await Promise.all([boot(), boot()]);
    await boot();
    const rows = await t.database.db
      .select()
      .from(modules)
      .where(eq(modules.slug, 'hintbook-starter'));
    expect(rows).toHaveLength(1);
    const notebooks = await t.database.db
      .select()
      .from(moduleNotebooks)
      .where(eq(moduleNotebooks.moduleId, rows[0]!.id));
    expect(notebooks.map((n) => n.position)).toEqual([0, 1, 2, 3]);
    expect(
      await t.database.db.select().from(moduleFiles).where(eq(moduleFiles.moduleId, rows[0]!.id)),
    ).toHaveLength(1);
  });

  it('opens for a newcomer with scores.csv beside the data notebook', async () => {
    await seedStarterModuleAtBoot(
      { db: t.database.db, clock, logger: silent, exercises: notebookExercises },
      starterDir,
    );
    const student = await registerThroughApi(t.app);
    const auth = { Authorization: `Bearer ${student.accessToken}` };
    const list = await request(t.app).get('/api/modules').set(auth).expect(200);
    const starter = list.body.modules.find((m: { slug: string }) => m.slug === 'hintbook-starter');
    const dataNotebook = starter.notebooks.find(
      (n: { slug: string }) => n.slug === 'working-with-data',
    );
    const opened = await request(t.app)
      .get(`/api/modules/${starter.id}/notebooks/${dataNotebook.id}/copy`)
      .set(auth)
      .expect(200);
    const copy = opened.body.copy as NotebookCopy;
    expect(copy.files.map((file) => file.path)).toEqual(['scores.csv']);
    expect(Buffer.from(copy.files[0]!.contentBase64, 'base64').toString()).toContain('Amara,7A,72');
  });

  it('never re-publishes or re-creates the starter after an admin unpublished or deleted it', async () => {
    const fresh = await createTestApp();
    try {
      const db = fresh.database.db;
      const content = await readModuleFolder(starterDir);
      expect(await seedModule(db, content, clock, notebookExercises)).toBe('seeded');
      const moduleId = (await findModuleBySlug(db, content.slug))!.id;
      await updateModuleRow(db, moduleId, { published: false }, new Date());
      expect(await seedModule(db, content, clock, notebookExercises)).toBe('already_seeded');
      expect((await db.select().from(modules).where(eq(modules.id, moduleId)))[0]!.published).toBe(
        false,
      );

      await db.delete(modules).where(eq(modules.id, moduleId));
      expect(await seedModule(db, content, clock, notebookExercises)).toBe('already_seeded');
      expect(await findModuleBySlug(db, content.slug)).toBeUndefined();
    } finally {
      await fresh.close();
    }
  });

  it('leaves an admin’s own module with the same slug alone', async () => {
    const fresh = await createTestApp();
    try {
      const db = fresh.database.db;
      await db
        .insert(modules)
        .values({ slug: 'hintbook-starter', title: 'Our own intro', published: true });
      expect(
        await seedModule(db, await readModuleFolder(starterDir), clock, notebookExercises),
      ).toBe('slug_taken');
      const rows = await db.select().from(modules);
      expect(rows.map((row) => row.title)).toEqual(['Our own intro']);
      expect(await db.select().from(moduleNotebooks)).toEqual([]);
      expect(await db.select().from(contentSeeds)).toHaveLength(1);
    } finally {
      await fresh.close();
    }
  });

  it('refuses a broken module folder before writing anything, and boot carries on without it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hintbook-module-'));
    writeFileSync(path.join(dir, 'bad.ipynb'), JSON.stringify({ nbformat: 3, worksheets: [] }));
    writeFileSync(
      path.join(dir, 'module.json'),
      JSON.stringify({
        seedKey: 'broken@1',
        slug: 'broken',
        title: 'Broken',
        notebooks: [{ slug: 'bad', file: 'bad.ipynb', title: 'Bad' }],
      }),
    );
    await expect(readModuleFolder(dir)).rejects.toThrow(/bad\.ipynb is not an nbformat 4 notebook/);
    await seedStarterModuleAtBoot(
      { db: t.database.db, clock, logger: silent, exercises: notebookExercises },
      dir,
    );
    await seedStarterModuleAtBoot(
      { db: t.database.db, clock, logger: silent, exercises: notebookExercises },
      path.join(dir, 'missing'),
    );
    expect(await findModuleBySlug(t.database.db, 'broken')).toBeUndefined();
    expect(
      await t.database.db.select().from(contentSeeds).where(eq(contentSeeds.key, 'broken@1')),
    ).toEqual([]);
  });

  it('refuses data file paths that could escape the working folder', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hintbook-module-'));
    writeFileSync(
      path.join(dir, 'one.ipynb'),
      JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] }),
    );
    for (const bad of ['../secret.csv', '/etc/passwd', 'data/../../x', '.hidden', 'a\\b.csv']) {
      writeFileSync(
        path.join(dir, 'module.json'),
        JSON.stringify({
          seedKey: 'paths@1',
          slug: 'paths',
          title: 'Paths',
          notebooks: [{ slug: 'one', file: 'one.ipynb', title: 'One' }],
          files: [{ path: bad, file: 'one.ipynb' }],
        }),
      );
      await expect(readModuleFolder(dir), bad).rejects.toThrow();
    }
  });
});
