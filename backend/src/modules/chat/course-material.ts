import type { MaterialSource, NotebookContext } from '@hintbook/contracts';
import type { Config } from '../../config/env.js';
import type { Db } from '../../db/client.js';
import type { Logger } from '../../lib/logger.js';
import {
  findSessionNotebookCopy,
  loadCourseMaterial,
  originalText,
} from '../learning/notebook-scope.js';
import type { RetrievalDeps } from '../retrieval/retrieval.types.js';
import {
  formatRetrievedMaterial,
  searchMaterial,
  type RetrievedChunk,
} from '../retrieval/search.service.js';
import type { SessionRow } from './sessions.repository.js';

export interface CourseRetrieval {
  deps: RetrievalDeps;
  settings: Config['retrieval'];
}

/** What one answer is given from the course, and the citations shown under it. */
export interface CourseMaterial {
  text: string | undefined;
  sources: MaterialSource[];
}

/** What finding material needs (a slice of TurnDeps, declared here so the two stay acyclic). */
export interface CourseMaterialDeps {
  db: Db;
  logger: Logger;
  retrieval?: CourseRetrieval | undefined;
}

export interface CourseMaterialInput {
  userId: string;
  session: Pick<SessionRow, 'scope' | 'notebookId'>;
  question: string;
  notebookContext?: NotebookContext | undefined;
  signal: AbortSignal;
}

/** How much of the live cell and error goes into the search query (characters). */
const QUERY_CONTEXT_CHARS = 600;

/**
 * Passages of course material (and the student's own notebooks) that fit this question, found
 * by hybrid search within what the student may see: in a module's workspace, that module's
 * material; elsewhere, every published module. The student's own notebooks are always in scope
 * and only theirs. Retrieval failing never fails the answer: it goes on without passages.
 */
export async function findCourseMaterial(
  deps: CourseMaterialDeps,
  input: CourseMaterialInput,
): Promise<CourseMaterial> {
  const retrieval = deps.retrieval;
  if (!retrieval || retrieval.settings.tokenBudget === 0 || retrieval.settings.maxPassages === 0) {
    return {
      text: await loadCourseMaterial(deps.db, input.userId, input.session),
      sources: [],
    };
  }
  try {
    const workspace = await findSessionNotebookCopy(deps.db, input.userId, input.session);
    const chunks = await searchMaterial(retrieval.deps, {
      userId: input.userId,
      moduleId: workspace?.moduleId,
      includeOwn: true,
      query: searchQuery(input.question, input.notebookContext),
      limit: retrieval.settings.maxPassages,
      tokenBudget: retrieval.settings.tokenBudget,
      minSimilarity: retrieval.settings.minSimilarity,
      signal: AbortSignal.any([
        input.signal,
        AbortSignal.timeout(retrieval.settings.queryTimeoutMs),
      ]),
    });
    // Nothing matched (a bare "help?"): the open notebook's own text is still the best guess.
    if (chunks.length === 0)
      return { text: workspace && (await originalText(deps.db, workspace)), sources: [] };
    const header =
      workspace && `The student is working in ${workspace.moduleTitle} · ${workspace.title}.\n\n`;
    return {
      text: (header ?? '') + formatRetrievedMaterial(chunks),
      sources: chunks.map(toSource),
    };
  } catch (error) {
    deps.logger.warn({ err: error }, 'course retrieval failed; answering without passages');
    return { text: undefined, sources: [] };
  }
}

/** The question, plus what the student is looking at: a bare "why?" finds nothing alone. */
export function searchQuery(question: string, context?: NotebookContext): string {
  const parts = [question];
  if (context?.lastError) {
    parts.push(`${context.lastError.ename}: ${context.lastError.evalue}`.slice(0, 300));
  }
  if (context?.activeCellSource?.trim()) {
    parts.push(context.activeCellSource.slice(0, QUERY_CONTEXT_CHARS));
  }
  return parts.join('\n');
}

function toSource(chunk: RetrievedChunk): MaterialSource {
  return {
    citation: chunk.citation,
    origin: chunk.ownerUserId === null ? 'course' : 'own',
    moduleId: chunk.moduleId,
    notebookId: chunk.notebookId,
    cellIndex: chunk.cellIndex,
  };
}
