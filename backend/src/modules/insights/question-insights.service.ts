import { createRedactionVault, type RedactionKind } from '../../ai/privacy/redaction.js';
import type {
  AskedQuestion,
  QuestionGroup,
  QuestionGroupingFallback,
  QuestionInsightsResponse,
  questionInsightsQuerySchema,
} from '@hintbook/contracts';
import type { z } from 'zod';
import type { Embedder } from '../../ai/embeddings/registry.js';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import { adminModuleNotFound } from '../learning/learning.errors.js';
import { extractKeywords, groupByKeywords, topKeywords } from './keyword-grouping.js';
import {
  findModuleTitle,
  findStudentQuestions,
  type StudentQuestionRow,
} from './question-insights.repository.js';
import { loadQuestionVectors } from './question-vectors.js';
import type { RankedGroup } from './ranked-group.js';
import { groupBySimilarity } from './similarity-grouping.js';

/** The most recent questions in range that are grouped; older ones are counted, not grouped. */
export const MAX_QUESTIONS = 1_000;
const MAX_GROUPS = 50;
const MAX_EXAMPLES = 5;
const SHOWN_TEXT_MAX_CHARS = 300;
/** An admin is waiting for the page: past this, group by keywords instead of waiting on. */
const EMBEDDING_TIME_BUDGET_MS = 20_000;
const DAY_MS = 86_400_000;

export interface QuestionInsightsDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** Absent without an embedding key: questions are grouped by keywords. */
  embedder?: Embedder | undefined;
  /** Questions are redacted like a turn's calls before the embedding vendor sees them. */
  privacy?: { redactionKinds: ReadonlySet<RedactionKind> } | undefined;
}

/**
 * "What students ask": students' recent questions (overall or in one module) grouped by
 * meaning when embeddings are configured, else — or when the embedding service fails — by
 * shared keywords. Groups of two or more, largest first.
 */
export async function getQuestionInsights(
  deps: QuestionInsightsDeps,
  query: z.output<typeof questionInsightsQuerySchema>,
): Promise<QuestionInsightsResponse> {
  const to = query.to ? new Date(query.to) : deps.clock();
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY_MS);
  const module = query.moduleId ? await findModuleTitle(deps.db, query.moduleId) : null;
  if (query.moduleId && !module) throw adminModuleNotFound();

  const rows = await findStudentQuestions(deps.db, {
    from,
    to,
    moduleId: query.moduleId,
    limit: MAX_QUESTIONS,
    embeddingModel: deps.embedder?.provider.model,
  });
  const questionsInRange = rows[0]?.totalInScope ?? 0;
  const keywords = rows.map((row) => extractKeywords(row.content));
  const grouping = await groupQuestions(deps, rows, keywords);
  const groups = grouping.groups
    .map((group) => describeGroup(group, rows, keywords))
    .sort(
      (a, b) => b.size - a.size || b.lastAskedAt.localeCompare(a.lastAskedAt) || cmp(a.id, b.id),
    )
    .slice(0, MAX_GROUPS);

  return {
    from: from.toISOString(),
    to: to.toISOString(),
    module: module ?? null,
    method: grouping.method,
    fallback: grouping.fallback,
    embeddingModel:
      grouping.method === 'embeddings' ? (deps.embedder?.provider.model ?? null) : null,
    questionsInRange,
    questionsConsidered: rows.length,
    maxQuestions: MAX_QUESTIONS,
    questionsGrouped: grouping.groups.reduce((sum, group) => sum + group.members.length, 0),
    groups,
  };
}

type Grouping =
  | { method: 'embeddings'; fallback: null; groups: RankedGroup[] }
  | { method: 'keywords'; fallback: QuestionGroupingFallback; groups: RankedGroup[] };

async function groupQuestions(
  deps: QuestionInsightsDeps,
  rows: StudentQuestionRow[],
  keywords: ReturnType<typeof extractKeywords>[],
): Promise<Grouping> {
  if (!deps.embedder) {
    return { method: 'keywords', fallback: 'not_configured', groups: groupByKeywords(keywords) };
  }
  try {
    const { vectors, embeddedNow } = await loadQuestionVectors(
      {
        db: deps.db,
        clock: deps.clock,
        embedder: deps.embedder,
        // A vault per question: its author is not known here, but other people's data is.
        redact: (text) =>
          createRedactionVault({ kinds: deps.privacy?.redactionKinds ?? new Set() }).redact(text),
      },
      rows.map((row) => ({
        messageId: row.messageId,
        content: row.content,
        cachedHash: row.cachedHash,
        cachedVector: row.cachedVector,
      })),
      AbortSignal.timeout(EMBEDDING_TIME_BUDGET_MS),
    );
    deps.logger.debug({ questions: rows.length, embeddedNow }, 'question vectors ready');
    return { method: 'embeddings', fallback: null, groups: groupBySimilarity(vectors) };
  } catch (error) {
    // The page still answers: keyword groups now, and vectors stored so far are kept.
    deps.logger.warn(
      { err: error, provider: deps.embedder.provider.name },
      'could not embed questions; grouping by keywords',
    );
    return { method: 'keywords', fallback: 'embedding_failed', groups: groupByKeywords(keywords) };
  }
}

function describeGroup(
  group: RankedGroup,
  rows: StudentQuestionRow[],
  keywords: ReturnType<typeof extractKeywords>[],
): QuestionGroup {
  const members = group.members.map((member) => rows[member.index]!);
  const representative = members[0]!;
  // Examples show other wordings: the same text asked twice is shown once.
  const seen = new Set([normaliseText(representative.content)]);
  const examples: AskedQuestion[] = [];
  for (const row of members.slice(1)) {
    if (examples.length >= MAX_EXAMPLES) break;
    const key = normaliseText(row.content);
    if (seen.has(key)) continue;
    seen.add(key);
    examples.push(toAskedQuestion(row));
  }
  const moduleCounts = new Map<string, { id: string; title: string; questions: number }>();
  for (const row of members) {
    if (!row.moduleId || !row.moduleTitle) continue;
    const entry = moduleCounts.get(row.moduleId) ?? {
      id: row.moduleId,
      title: row.moduleTitle,
      questions: 0,
    };
    entry.questions += 1;
    moduleCounts.set(row.moduleId, entry);
  }
  const lastAskedAt = new Date(Math.max(...members.map((row) => row.createdAt.getTime())));
  return {
    id: representative.messageId,
    size: members.length,
    students: new Set(members.map((row) => row.userId)).size,
    representative: toAskedQuestion(representative),
    examples,
    keywords: topKeywords(group.members.map((member) => keywords[member.index]!)),
    modules: [...moduleCounts.values()].sort(
      (a, b) => b.questions - a.questions || cmp(a.title, b.title),
    ),
    lastAskedAt: lastAskedAt.toISOString(),
  };
}

function toAskedQuestion(row: StudentQuestionRow): AskedQuestion {
  const text = row.content.trim().replace(/\s+/g, ' ');
  return {
    text: text.length > SHOWN_TEXT_MAX_CHARS ? `${text.slice(0, SHOWN_TEXT_MAX_CHARS - 1)}…` : text,
    askedAt: row.createdAt.toISOString(),
    moduleId: row.moduleId,
    moduleTitle: row.moduleTitle,
  };
}

function normaliseText(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
