import { randomUUID } from 'node:crypto';
import type { NotebookContent } from '@hintbook/contracts';
import type { Db } from '../../db/client.js';
import { seedModule, type ModuleContent } from './starter-module.js';
import { findModuleBySlug } from './modules.repository.js';
import { notebookExercises } from '../exercises/notebook-exercises.js';

/** A small valid notebook whose first cell says `text`. */
export function buildNotebook(text = 'print("hello")'): NotebookContent {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python', display_name: 'Python', language: 'python' } },
    cells: [
      { cell_type: 'markdown', source: ['# Exercise\n', 'Run the cell.'], metadata: {} },
      { cell_type: 'code', source: text, metadata: {}, outputs: [], execution_count: null },
    ],
  };
}

/** Inserts a module with `notebooks` notebooks and a data file; returns the ids tests address. */
export async function createModuleInDb(
  db: Db,
  options: { published?: boolean; notebooks?: number; position?: number } = {},
) {
  const slug = `module-${randomUUID().slice(0, 8)}`;
  const content: ModuleContent = {
    seedKey: `test:${slug}`,
    slug,
    title: `Module ${slug}`,
    description: 'A test module',
    position: options.position ?? 100,
    published: options.published ?? true,
    notebooks: Array.from({ length: options.notebooks ?? 2 }, (_, index) => ({
      slug: `nb-${index + 1}`,
      title: `Notebook ${index + 1}`,
      description: '',
      content: buildNotebook(`print("original ${index + 1}")`),
    })),
    files: [
      {
        path: 'shared.txt',
        mime: 'text/plain',
        notebookSlug: undefined,
        content: Buffer.from('for all'),
      },
      {
        path: 'data/first.csv',
        mime: 'text/csv',
        notebookSlug: 'nb-1',
        content: Buffer.from('a,b\n1,2\n'),
      },
    ],
  };
  await seedModule(db, content, () => new Date(), notebookExercises);
  const moduleId = (await findModuleBySlug(db, slug))!.id;
  return { moduleId, slug };
}
