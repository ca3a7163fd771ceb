import { createHash } from 'node:crypto';

/** A chunk before it is stored: what to embed and search, and where it came from. */
export interface ChunkDraft {
  position: number;
  cellIndex: number | null;
  kind: 'markdown' | 'code' | 'data_file';
  citation: string;
  content: string;
  contentHash: string;
}

/** Long cells are split so one chunk stays a focused passage (and fits a context budget). */
const MAX_CHUNK_CHARS = 1_800;
const DATA_FILE_LINES_PER_CHUNK = 40;
/** Bigger text files are indexed by their first part only; the rest is rarely what is asked. */
const DATA_FILE_MAX_CHARS = 40_000;

interface NotebookCell {
  cell_type?: string;
  source?: string | string[];
}

/** What the embedding and the full-text index both see; hashed to detect changes. */
export function hashChunk(citation: string, content: string): string {
  return createHash('sha256').update(citation).update('\n').update(content).digest('hex');
}

/**
 * Markdown and code cells (outputs left out) become chunks cited as
 * `<prefix> · cell N` (1-based, as students count). Empty cells and code cells that hold only
 * comments ("# Your code here") carry nothing to retrieve and are skipped.
 */
export function chunkNotebook(content: unknown, citationPrefix: string): ChunkDraft[] {
  const cells = (content as { cells?: NotebookCell[] } | null)?.cells;
  if (!Array.isArray(cells)) return [];
  const drafts: ChunkDraft[] = [];
  cells.forEach((cell, cellIndex) => {
    if (cell.cell_type !== 'markdown' && cell.cell_type !== 'code') return;
    const source = (Array.isArray(cell.source) ? cell.source.join('') : (cell.source ?? '')).trim();
    if (!source) return;
    if (cell.cell_type === 'code' && source.split('\n').every((line) => /^\s*(#.*)?$/.test(line))) {
      return;
    }
    const citation = `${citationPrefix} · cell ${cellIndex + 1}`;
    for (const piece of splitLongText(source)) {
      drafts.push({
        position: drafts.length,
        cellIndex,
        kind: cell.cell_type,
        citation,
        content: piece,
        contentHash: hashChunk(citation, piece),
      });
    }
  });
  return drafts;
}

/** Text data files (CSV, TXT, MD…) in runs of lines; a CSV's header line starts every run. */
export function chunkTextFile(text: string, path: string, citationPrefix: string): ChunkDraft[] {
  const lines = text.slice(0, DATA_FILE_MAX_CHARS).replace(/\r\n/g, '\n').split('\n');
  const isCsv = /\.(csv|tsv)$/i.test(path);
  const header = isCsv ? lines.shift() : undefined;
  const drafts: ChunkDraft[] = [];
  for (let start = 0; start < lines.length; start += DATA_FILE_LINES_PER_CHUNK) {
    const body = lines
      .slice(start, start + DATA_FILE_LINES_PER_CHUNK)
      .join('\n')
      .trim();
    if (!body) continue;
    const first = start + (isCsv ? 2 : 1);
    const last = first + Math.min(DATA_FILE_LINES_PER_CHUNK, lines.length - start) - 1;
    const citation = `${citationPrefix} · ${path} · lines ${first}–${last}`;
    const content = header ? `${header}\n${body}` : body;
    drafts.push({
      position: drafts.length,
      cellIndex: null,
      kind: 'data_file',
      citation,
      content,
      contentHash: hashChunk(citation, content),
    });
  }
  return drafts;
}

/** Splits at blank lines, then at line ends, so no piece exceeds MAX_CHUNK_CHARS. */
export function splitLongText(text: string): string[] {
  if (text.length <= MAX_CHUNK_CHARS) return [text];
  const pieces: string[] = [];
  let current = '';
  for (const part of text.split(/(\n\s*\n)/)) {
    if (current.length + part.length > MAX_CHUNK_CHARS && current.trim()) {
      pieces.push(current.trim());
      current = '';
    }
    if (part.length > MAX_CHUNK_CHARS) {
      for (let i = 0; i < part.length; i += MAX_CHUNK_CHARS)
        pieces.push(part.slice(i, i + MAX_CHUNK_CHARS));
    } else {
      current += part;
    }
  }
  if (current.trim()) pieces.push(current.trim());
  return pieces;
}
