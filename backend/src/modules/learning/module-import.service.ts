import { unzipSync } from 'fflate';
import { z } from 'zod';
import {
  dataFilePathSchema,
  moduleSlugSchema,
  notebookContentSchema,
  type ImportModuleQuery,
  type ImportModuleResponse,
  type NotebookContent,
} from '@hintbook/contracts';
import { withTransaction } from '../../db/transaction.js';
import { recordAudit, type AuditActor } from '../audit/audit.service.js';
import { titleFromFilename } from './notebook-content.js';
import { importInvalid } from './learning.errors.js';
import { upsertFile } from './module-files.repository.js';
import {
  findNotebookContent,
  findNotebooksOf,
  insertNotebook,
  nextNotebookPosition,
  updateNotebookRow,
} from './module-notebooks.repository.js';
import {
  findModuleBySlug,
  insertModule,
  nextModulePosition,
  updateModuleRow,
} from './modules.repository.js';
import { getAdminModule, notebookSlugFrom, type ContentDeps } from './module-admin.service.js';

/** What an import may unpack in total: a zip bomb stops here, before it is inflated. */
export const IMPORT_MAX_UNPACKED_BYTES = 100 * 1024 * 1024;
export const IMPORT_MAX_ENTRIES = 500;

const manifestSchema = z.object({
  slug: moduleSlugSchema.optional(),
  title: z.string().trim().min(1).max(200).optional(),
  description: z.string().trim().max(2000).optional(),
});

interface ParsedImport {
  slug: string;
  title: string | undefined;
  description: string | undefined;
  notebooks: Array<{ slug: string; title: string; path: string; content: NotebookContent }>;
  files: Array<{ path: string; content: Buffer; mime: string }>;
}

type Problem = { path: string; message: string };

const MIME: Record<string, string> = {
  csv: 'text/csv',
  txt: 'text/plain',
  json: 'application/json',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  parquet: 'application/vnd.apache.parquet',
};

const isIgnored = (path: string) =>
  path.endsWith('/') || path.split('/').some((part) => part.startsWith('.') || part === '__MACOSX');

/**
 * Reads and validates a whole zip before anything is written: every notebook must be nbformat
 * 4 and every data file path safe, or the import is refused with every problem listed.
 */
export function parseModuleZip(
  zip: Buffer,
  query: ImportModuleQuery,
  maxFileBytes: number,
): ParsedImport {
  const problems: Problem[] = [];
  let unpacked = 0;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(new Uint8Array(zip.buffer, zip.byteOffset, zip.byteLength), {
      filter: (file) => {
        if (isIgnored(file.name)) return false;
        unpacked += file.originalSize;
        if (file.originalSize > maxFileBytes) {
          problems.push({
            path: file.name,
            message: `is over ${Math.round(maxFileBytes / 1024)} KB`,
          });
          return false;
        }
        return unpacked <= IMPORT_MAX_UNPACKED_BYTES;
      },
    });
  } catch {
    throw importInvalid([{ path: '', message: 'The body is not a readable zip file' }]);
  }
  if (unpacked > IMPORT_MAX_UNPACKED_BYTES) {
    throw importInvalid([{ path: '', message: 'The zip unpacks to more than 100 MB' }]);
  }
  const names = Object.keys(entries);
  if (names.length > IMPORT_MAX_ENTRIES) {
    throw importInvalid([
      { path: '', message: `The zip has more than ${IMPORT_MAX_ENTRIES} files` },
    ]);
  }
  // A zip of a folder puts everything under that folder's name: strip one shared top folder.
  const tops = new Set(names.map((name) => (name.includes('/') ? name.split('/')[0] : '')));
  const strip = tops.size === 1 && !tops.has('') ? `${[...tops][0]}/` : '';
  const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

  let manifest: z.infer<typeof manifestSchema> = {};
  const notebooks: ParsedImport['notebooks'] = [];
  const files: ParsedImport['files'] = [];
  for (const name of names.sort()) {
    const path = name.slice(strip.length);
    const bytes = entries[name]!;
    if (path === 'module.json') {
      try {
        manifest = manifestSchema.parse(JSON.parse(text(bytes)));
      } catch {
        problems.push({
          path,
          message: 'is not a valid module.json ({ slug, title, description })',
        });
      }
    } else if (path.toLowerCase().endsWith('.ipynb')) {
      let json: unknown;
      try {
        json = JSON.parse(text(bytes));
      } catch {
        problems.push({ path, message: 'is not JSON' });
        continue;
      }
      const parsed = notebookContentSchema.safeParse(json);
      if (!parsed.success) {
        problems.push({ path, message: 'is not an nbformat 4 notebook' });
        continue;
      }
      notebooks.push({
        // The path decides the slug, so importing the same files again updates them.
        slug: notebookSlugFrom(path.replace(/\.ipynb$/i, '').replace(/\//g, '-')),
        title: titleFromFilename(path) ?? path,
        path,
        content: parsed.data,
      });
    } else {
      const checked = dataFilePathSchema.safeParse(path);
      if (!checked.success) {
        problems.push({ path, message: 'is not an allowed data file path' });
        continue;
      }
      const extension = path.split('.').pop()?.toLowerCase() ?? '';
      files.push({
        path,
        content: Buffer.from(bytes),
        mime: MIME[extension] ?? 'application/octet-stream',
      });
    }
  }
  const slugs = new Map<string, string>();
  for (const notebook of notebooks) {
    const other = slugs.get(notebook.slug);
    if (other) problems.push({ path: notebook.path, message: `has the same name as ${other}` });
    slugs.set(notebook.slug, notebook.path);
  }
  const slug = query.slug ?? manifest.slug;
  if (!slug) problems.push({ path: 'slug', message: 'Give ?slug= or a module.json with a slug' });
  if (notebooks.length === 0 && problems.length === 0) {
    problems.push({ path: '', message: 'The zip holds no .ipynb notebook' });
  }
  if (problems.length > 0) throw importInvalid(problems.slice(0, 20));
  return {
    slug: slug!,
    title: query.title ?? manifest.title,
    description: manifest.description,
    notebooks,
    files,
  };
}

/**
 * Imports a module from a zip, all or nothing, in one transaction. Importing the same paths
 * again updates those notebooks (a new version only when the content changed) and data files
 * instead of adding duplicates; notebooks missing from the zip are left alone.
 */
export async function importModuleZip(
  deps: ContentDeps,
  actor: AuditActor,
  zip: Buffer,
  query: ImportModuleQuery,
): Promise<ImportModuleResponse> {
  const parsed = parseModuleZip(zip, query, deps.notebooks.maxBytes);
  const now = deps.clock();
  const counts = { created: 0, updated: 0, unchanged: 0 };
  const { moduleId, isNewModule } = await withTransaction(deps.db, async (tx) => {
    let module = await findModuleBySlug(tx, parsed.slug);
    const isNewModule = !module;
    if (!module) {
      await insertModule(tx, {
        slug: parsed.slug,
        title: parsed.title ?? parsed.slug,
        description: parsed.description ?? '',
        position: await nextModulePosition(tx),
        now,
      });
      module = (await findModuleBySlug(tx, parsed.slug))!;
    } else if (parsed.title || parsed.description !== undefined) {
      await updateModuleRow(
        tx,
        module.id,
        {
          ...(parsed.title ? { title: parsed.title } : {}),
          ...(parsed.description !== undefined ? { description: parsed.description } : {}),
        },
        now,
      );
    }
    const existing = new Map((await findNotebooksOf(tx, module.id)).map((nb) => [nb.slug, nb]));
    let position = await nextNotebookPosition(tx, module.id);
    for (const notebook of parsed.notebooks) {
      const current = existing.get(notebook.slug);
      const prepared = deps.exercises.prepare(notebook.content, notebook.path);
      if (!current) {
        const id = await insertNotebook(tx, {
          moduleId: module.id,
          slug: notebook.slug,
          title: notebook.title,
          description: '',
          position: position++,
          content: prepared.studentContent,
          now,
        });
        await prepared.storeExercises(tx, id!, now);
        counts.created += 1;
        continue;
      }
      // A changed solution or hidden test leaves the student's version as it was: sync anyway.
      await prepared.storeExercises(tx, current.id, now);
      const stored = await findNotebookContent(tx, module.id, current.id);
      if (JSON.stringify(stored?.content) === JSON.stringify(prepared.studentContent)) {
        counts.unchanged += 1;
        continue;
      }
      await updateNotebookRow(tx, module.id, current.id, { content: prepared.studentContent }, now);
      counts.updated += 1;
    }
    for (const file of parsed.files) {
      await upsertFile(tx, { moduleId: module.id, notebookId: null, ...file }, now);
    }
    await recordAudit(
      tx,
      actor,
      {
        action: 'module.import',
        targetType: 'module',
        targetId: module.id,
        details: {
          slug: parsed.slug,
          isNewModule,
          notebooksCreated: counts.created,
          notebooksUpdated: counts.updated,
          filesWritten: parsed.files.length,
        },
      },
      now,
    );
    return { moduleId: module.id, isNewModule };
  });
  return {
    module: await getAdminModule(deps.db, moduleId),
    isNewModule,
    notebooksCreated: counts.created,
    notebooksUpdated: counts.updated,
    notebooksUnchanged: counts.unchanged,
    filesWritten: parsed.files.length,
  };
}
