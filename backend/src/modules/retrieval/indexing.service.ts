import { chunkNotebook, chunkTextFile, type ChunkDraft } from './chunking.js';
import {
  deleteChunksFrom,
  deleteChunksOfSource,
  findChunkHashes,
  findChunksToEmbed,
  storeEmbedding,
  upsertChunks,
  type ChunkSource,
} from './retrieval.repository.js';
import {
  findModuleNotebookToIndex,
  findPersonalNotebookToIndex,
  listModuleIds,
  listModuleNotebookIds,
  listPersonalNotebookIds,
  listTextModuleFiles,
} from '../learning/indexable-content.service.js';
import type { RetrievalDeps } from './retrieval.types.js';
import { canUseVectors } from './vector-support.js';

export interface SyncResult {
  written: number;
  unchanged: number;
  removed: number;
  embedded: number;
}

const EMBED_PAGE = 256;

/**
 * Makes the stored chunks of one source match `drafts`: only chunks whose text changed are
 * rewritten (and so re-embedded); chunks past the new end are removed. Then embeds what is
 * pending for that source when vectors are available.
 */
export async function syncSource(
  deps: RetrievalDeps,
  source: ChunkSource,
  drafts: ChunkDraft[],
): Promise<SyncResult> {
  const existing = new Map(
    (await findChunkHashes(deps.db, source.sourceKey)).map((row) => [
      row.position,
      row.contentHash,
    ]),
  );
  const changed = drafts.filter((draft) => existing.get(draft.position) !== draft.contentHash);
  await upsertChunks(deps.db, source, changed, deps.clock());
  const removed = [...existing.keys()].filter((position) => position >= drafts.length).length;
  if (removed > 0) await deleteChunksFrom(deps.db, source.sourceKey, drafts.length);
  const embedded = await embedPendingChunks(deps, { sourceKey: source.sourceKey });
  return { written: changed.length, unchanged: drafts.length - changed.length, removed, embedded };
}

/** Embeds chunks that have no vector from the current model. Returns how many were stored. */
export async function embedPendingChunks(
  deps: RetrievalDeps,
  options: { sourceKey?: string } = {},
): Promise<number> {
  if (!deps.embedder || !(await canUseVectors(deps))) return 0;
  const { embedder } = deps;
  const model = embedder.provider.model;
  let embedded = 0;
  let afterId: string | undefined;
  for (;;) {
    const page = await findChunksToEmbed(deps.db, {
      model,
      sourceKey: options.sourceKey,
      ...(afterId ? { afterId } : {}),
      limit: EMBED_PAGE,
    });
    if (page.length === 0) return embedded;
    const vectors = await embedder.embed(
      page.map((chunk) => `${chunk.citation}\n${chunk.content}`),
      'document',
    );
    const now = deps.clock();
    for (const [index, chunk] of page.entries()) {
      await storeEmbedding(deps.db, chunk, vectors[index]!, model, now);
    }
    embedded += page.length;
    afterId = page.at(-1)!.id;
  }
}

export async function indexModuleNotebook(deps: RetrievalDeps, notebookId: string) {
  const sourceKey = `module_notebook:${notebookId}`;
  const notebook = await findModuleNotebookToIndex(deps.db, notebookId);
  if (!notebook) return deleteChunksOfSource(deps.db, sourceKey);
  const drafts = chunkNotebook(notebook.content, `${notebook.moduleTitle} · ${notebook.title}`);
  return syncSource(
    deps,
    { sourceKey, ownerUserId: null, moduleId: notebook.moduleId, moduleNotebookId: notebook.id },
    drafts,
  );
}

/** Every notebook and text data file of a module (after an import, a seed or an edit). */
export async function indexModule(deps: RetrievalDeps, moduleId: string) {
  for (const { id } of await listModuleNotebookIds(deps.db, moduleId)) {
    await indexModuleNotebook(deps, id);
  }
  await indexModuleFiles(deps, [moduleId]);
}

/** Returns how many chunks were embedded. */
async function indexModuleFiles(deps: RetrievalDeps, moduleIds: string[]): Promise<number> {
  let embedded = 0;
  for (const file of await listTextModuleFiles(deps.db, moduleIds)) {
    const text = file.content.toString('utf8');
    if (text.includes('\u0000')) continue; // binary after all
    const result = await syncSource(
      deps,
      {
        sourceKey: `module_file:${file.id}`,
        ownerUserId: null,
        moduleId: file.moduleId,
        moduleFileId: file.id,
      },
      chunkTextFile(text, file.path, file.moduleTitle),
    );
    embedded += result.embedded;
  }
  return embedded;
}

/** A student's own notebook: its chunks are visible to that student only. */
export async function indexPersonalNotebook(deps: RetrievalDeps, notebookId: string) {
  const sourceKey = `personal_notebook:${notebookId}`;
  const notebook = await findPersonalNotebookToIndex(deps.db, notebookId);
  if (!notebook) return deleteChunksOfSource(deps.db, sourceKey);
  return syncSource(
    deps,
    {
      sourceKey,
      ownerUserId: notebook.userId,
      moduleId: null,
      personalNotebookId: notebook.id,
    },
    chunkNotebook(notebook.content, `Your notebook · ${notebook.title}`),
  );
}

export interface BackfillProgress {
  /** Notebooks (module and personal) synced so far, of `total`; data files come with modules. */
  done: number;
  total: number;
}

/** `npm run retrieval:backfill`: (re)indexes everything; unchanged chunks cost nothing. */
export async function backfillRetrieval(
  deps: RetrievalDeps,
  onProgress: (progress: BackfillProgress) => void = () => undefined,
) {
  const moduleIds = (await listModuleIds(deps.db)).map((row) => row.id);
  const moduleNotebooks = await listModuleNotebookIds(deps.db);
  const personalNotebooks = await listPersonalNotebookIds(deps.db);
  const total = moduleNotebooks.length + personalNotebooks.length;
  let done = 0;
  let embedded = 0;
  const count = (result: SyncResult | void) => {
    embedded += result?.embedded ?? 0;
    onProgress({ done: ++done, total });
  };
  for (const { id } of moduleNotebooks) count(await indexModuleNotebook(deps, id));
  embedded += await indexModuleFiles(deps, moduleIds);
  for (const { id } of personalNotebooks) count(await indexPersonalNotebook(deps, id));
  // Whatever is still pending: chunks left by an earlier failed run, or another model's.
  embedded += await embedPendingChunks(deps);
  return { embedded };
}
