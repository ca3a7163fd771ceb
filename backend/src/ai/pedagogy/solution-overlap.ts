/**
 * How much of a reference solution an answer reproduces: token n-grams of the reference, and
 * how many of them turn up in the answer. Names are kept (an answer that copies the reference
 * copies its names); whitespace, comments and Markdown backticks are not tokens, so reformatting
 * or recommenting a copy does not hide it. Incremental: the answer is fed in chunks, each token
 * looked at once.
 */

/**
 * A word (identifier, keyword, number) or a single punctuation character; `#` and newlines are
 * matched too, to skip comments.
 */
const TOKEN = /#|\n|[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_`]/gu;
const WORD_CHAR = /[\p{L}\p{N}_]/u;
const SEPARATOR = '\u0001';

export interface OverlapSettings {
  /** Tokens per n-gram. */
  n: number;
}

/** The reference's distinct n-grams (comments and whitespace dropped). */
export function referenceNgrams(reference: string, settings: OverlapSettings): Set<string> {
  const matcher = createNgramCounter(new Set(), settings);
  const grams = new Set<string>();
  matcher.feed(reference, (gram) => grams.add(gram));
  matcher.feed('\n', (gram) => grams.add(gram));
  return grams;
}

/** How many code tokens a text has (comments and whitespace dropped). */
export function countCodeTokens(text: string): number {
  let tokens = 0;
  createNgramCounter(new Set(), { n: 1 }).feed(`${text}\n`, () => (tokens += 1));
  return tokens;
}

/**
 * Counts the distinct reference n-grams seen in fed text. `feed` takes any chunk, but a word cut
 * at the end of a chunk is tokenised as two words, so callers feed up to a word boundary
 * (see `wordBoundary`) and keep the tail for the next chunk.
 */
export function createNgramCounter(reference: Set<string>, settings: OverlapSettings) {
  const window: string[] = [];
  const seen = new Set<string>();
  let isInComment = false;

  function feed(text: string, onGram?: (gram: string) => void): number {
    for (const match of text.matchAll(TOKEN)) {
      const token = match[0];
      // A `#` comment runs to the end of its line; in prose it is a heading, also not code.
      if (token === '\n') {
        isInComment = false;
        continue;
      }
      if (isInComment) continue;
      if (token === '#') {
        isInComment = true;
        continue;
      }
      window.push(token);
      if (window.length > settings.n) window.shift();
      if (window.length < settings.n) continue;
      const gram = window.join(SEPARATOR);
      onGram?.(gram);
      if (reference.has(gram)) seen.add(gram);
    }
    return seen.size;
  }

  return {
    feed,
    get matched() {
      return seen.size;
    },
  };
}

/** The index just past the last non-word character of `text` (0 when there is none). */
export function wordBoundary(text: string): number {
  for (let index = text.length - 1; index >= 0; index -= 1) {
    if (!WORD_CHAR.test(text[index] ?? '')) return index + 1;
  }
  return 0;
}

/** Share of the reference's n-grams found in `answer`, 0 to 1 (whole texts; for tests and tools). */
export function solutionOverlap(
  answer: string,
  reference: string,
  settings: OverlapSettings,
): number {
  const grams = referenceNgrams(reference, settings);
  if (grams.size === 0) return 0;
  const counter = createNgramCounter(grams, settings);
  counter.feed(answer);
  return counter.matched / grams.size;
}
