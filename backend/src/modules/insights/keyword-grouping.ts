import type { RankedGroup } from './ranked-group.js';

/**
 * Grouping by shared keywords, for installations without embeddings (and as the fallback when
 * the embedding service fails). Cruder than grouping by meaning: "How do I stop a loop?" and
 * "my while never ends" share no keyword. Deterministic: the same questions, the same groups.
 */

// English function words, chat filler, and words every question of a Python course contains.
const STOP_WORDS = new Set(
  `a about above after again against all also am an and any anyone anything are aren as at be
  because been before being below between both but by can cannot could couldn did didn do does
  doesn doing don done down during each even ever every few for from further get gets getting got
  had hadn has hasn have haven having he her here hers herself him himself his how however i if
  im in into is isn it its itself ive just let lets like ll me might more most much must my
  myself need needs no nor not now of off on once one only or other our ours out over own really
  same shall she should shouldn so some someone something still such than that thats the their
  theirs them themselves then there these they thing things this those though through to too
  under until up us very was wasn way we were weren what whats when where whether which who whom
  whose why will with won would wouldn yet you your yours yourself
  hello hi hey please thanks thank thx help helps question ask ok okay yes sorry want wants
  know understand explain mean means tell show give try trying tried work works working see
  seem seems python code program use using used make makes making write writing wrong right
  correct problem stuck exercise task`.split(/\s+/),
);

// Letters of any script, so questions in other languages still group by their own words.
const WORD = /\p{L}[\p{L}\p{N}_]*/gu;
const MIN_LENGTH = 3;

/** Drops one of a doubled final consonant left by a suffix (`runn` → `run`), not `ll/ss/zz`. */
function undouble(word: string): string {
  const last = word.at(-1)!;
  return word.length > 3 && last === word.at(-2) && !'aeioulsz'.includes(last)
    ? word.slice(0, -1)
    : word;
}

/**
 * A deliberately small stemmer: plurals, -ing, -ed and a final e, so `loops`, `looping` and
 * `loop` meet, and `create`/`created` too. Stems are never shown; the commonest original word is.
 */
export function stem(word: string): string {
  let result = word;
  if (result.length > 4 && result.endsWith('ies')) result = `${result.slice(0, -3)}y`;
  else if (result.length > 3 && result.endsWith('s') && !/(ss|us|is)$/.test(result)) {
    result = result.slice(0, -1);
  }
  if (result.length >= 7 && result.endsWith('ing')) result = undouble(result.slice(0, -3));
  else if (result.length >= 5 && result.endsWith('ed')) result = undouble(result.slice(0, -2));
  if (result.length > 4 && result.endsWith('e')) result = result.slice(0, -1);
  return result;
}

export interface QuestionKeywords {
  /** Distinct stems, in order of first appearance. */
  stems: string[];
  /** stem → the word it came from first in this question. */
  surface: Map<string, string>;
}

export function extractKeywords(text: string): QuestionKeywords {
  const surface = new Map<string, string>();
  for (const word of text.toLowerCase().match(WORD) ?? []) {
    if (word.length < MIN_LENGTH || STOP_WORDS.has(word)) continue;
    const key = stem(word);
    if (key.length < MIN_LENGTH || STOP_WORDS.has(key) || surface.has(key)) continue;
    surface.set(key, word);
  }
  return { stems: [...surface.keys()], surface };
}

/**
 * Greedy cover: the keyword shared by the most ungrouped questions makes a group of them
 * (ties: alphabetical), until no keyword is shared by two. Members are ranked by how many of
 * the group's keywords they share; ties keep input order (callers pass newest first).
 */
export function groupByKeywords(questions: readonly QuestionKeywords[]): RankedGroup[] {
  const remaining = new Set(questions.keys());
  const groups: RankedGroup[] = [];
  for (;;) {
    const frequency = new Map<string, number>();
    for (const index of remaining) {
      for (const key of questions[index]!.stems) frequency.set(key, (frequency.get(key) ?? 0) + 1);
    }
    let best: string | undefined;
    let bestCount = 1;
    for (const [key, value] of frequency) {
      if (value > bestCount || (value === bestCount && best !== undefined && key < best)) {
        best = key;
        bestCount = value;
      }
    }
    if (best === undefined) break;
    const members = [...remaining].filter((index) => questions[index]!.stems.includes(best));
    for (const index of members) remaining.delete(index);
    groups.push(rankByOverlap(questions, members));
  }
  return groups;
}

function rankByOverlap(questions: readonly QuestionKeywords[], members: number[]): RankedGroup {
  const inGroup = countStems(members.map((index) => questions[index]!));
  const scored = members.map((index) => ({
    index,
    // A keyword counts for the other members that share it, not for the question itself.
    score: questions[index]!.stems.reduce((sum, key) => sum + (inGroup.get(key) ?? 1) - 1, 0),
  }));
  scored.sort((a, b) => b.score - a.score || a.index - b.index);
  return { members: scored };
}

function countStems(questions: readonly QuestionKeywords[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const question of questions) {
    for (const key of question.stems) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/**
 * The words a group's questions share most (in two or more of them), shown as the commonest
 * original spelling: `loops`, not `loop`, if that is how students wrote it.
 */
export function topKeywords(questions: readonly QuestionKeywords[], limit = 5): string[] {
  const counts = countStems(questions);
  const spellings = new Map<string, Map<string, number>>();
  for (const question of questions) {
    for (const [key, word] of question.surface) {
      const forms = spellings.get(key) ?? new Map<string, number>();
      forms.set(word, (forms.get(word) ?? 0) + 1);
      spellings.set(key, forms);
    }
  }
  return [...counts]
    .filter(([, value]) => value >= 2)
    .sort(([keyA, a], [keyB, b]) => b - a || (keyA < keyB ? -1 : 1))
    .slice(0, limit)
    .map(([key]) => {
      const forms = [...spellings.get(key)!];
      forms.sort(([wordA, a], [wordB, b]) => b - a || (wordA < wordB ? -1 : 1));
      return forms[0]![0];
    });
}
