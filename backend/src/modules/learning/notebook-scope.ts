import type { ChatScope, NotebookRef } from '@hintbook/contracts';
import type { Db } from '../../db/client.js';
import {
  findModuleNotebookContent,
  findOwnedCopy,
  findOwnedPersonalNotebookTitle,
} from './notebook-scope.repository.js';

/** How much of the module notebook's own text the tutor gets as background (characters). */
const COURSE_MATERIAL_MAX_CHARS = 6_000;

export interface NotebookScope {
  scope: Exclude<ChatScope, 'general'>;
  notebookId: string;
  title: string;
}

/**
 * What a workspace chat is about: the student's copy of a module notebook, or one of their own
 * notebooks. Undefined when the id is not the caller's (the chat then refuses, like a 404).
 */
export async function resolveNotebookScope(
  db: Db,
  userId: string,
  ref: NotebookRef,
): Promise<NotebookScope | undefined> {
  if (ref.kind === 'module_copy') {
    const copy = await findOwnedCopy(db, userId, ref.id);
    return copy && { scope: 'module_notebook', notebookId: copy.copyId, title: copy.title };
  }
  const notebook = await findOwnedPersonalNotebookTitle(db, userId, ref.id);
  return notebook && { scope: 'personal_notebook', notebookId: notebook.id, title: notebook.title };
}

/**
 * The module notebook's original text (markdown and code, outputs left out) as background for
 * the tutor, cut to a budget, when course search is off. Personal notebooks have no course
 * material: the live context from the workspace already carries what the student is working on.
 * Two reads one after the other (the copy, then the original's content): the copy read stays
 * light for the turns with course search, which need the content only when nothing matched.
 */
export async function loadCourseMaterial(
  db: Db,
  userId: string,
  session: { scope: ChatScope; notebookId: string | null },
): Promise<string | undefined> {
  const copy = await findSessionNotebookCopy(db, userId, session);
  return copy && originalText(db, copy);
}

/** The copy's original notebook as course material (`courseMaterialText`); reads its content. */
export async function originalText(
  db: Db,
  copy: { moduleNotebookId: string; moduleTitle: string; title: string },
): Promise<string> {
  return courseMaterialText({
    ...copy,
    originalContent: await findModuleNotebookContent(db, copy.moduleNotebookId),
  });
}

/** In a module workspace, the student's copy with its module and the original's title. */
export async function findSessionNotebookCopy(
  db: Db,
  userId: string,
  session: { scope: ChatScope; notebookId: string | null },
) {
  if (session.scope !== 'module_notebook' || !session.notebookId) return undefined;
  return findOwnedCopy(db, userId, session.notebookId);
}

/** The module notebook's original cells as text under a "Module · Notebook" header, cut short. */
function courseMaterialText(copy: {
  moduleTitle: string;
  title: string;
  originalContent: unknown;
}): string {
  // Undefined when the original was deleted between the two reads: the header alone.
  const cells = (
    copy.originalContent as
      { cells?: Array<{ cell_type?: string; source?: string | string[] }> } | undefined
  )?.cells;
  const text = (cells ?? [])
    .filter((cell) => cell.cell_type === 'markdown' || cell.cell_type === 'code')
    .map((cell) => {
      const source = Array.isArray(cell.source) ? cell.source.join('') : (cell.source ?? '');
      return cell.cell_type === 'code' ? `\`\`\`python\n${source}\n\`\`\`` : source;
    })
    .join('\n\n');
  const header = `${copy.moduleTitle} · ${copy.title}\n\n`;
  return (
    header +
    (text.length > COURSE_MATERIAL_MAX_CHARS
      ? `${text.slice(0, COURSE_MATERIAL_MAX_CHARS)}\n…`
      : text)
  );
}
