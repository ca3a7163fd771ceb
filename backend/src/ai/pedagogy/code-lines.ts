/**
 * Tells code lines from prose in a Markdown answer, for the answer guard. Heuristic on purpose:
 * Python (and a little JavaScript) written the way tutors write it. Two functions, one rule:
 * - `isProsePrefix` decides from the start of a line that it can only be prose, so the guard can
 *   stream that line at once instead of waiting for its end. It is monotone (once a prefix is
 *   prose, every longer one is too), which keeps the streamed and the whole-text verdicts equal.
 * - `classifyLine` judges a complete line; a line with a prose prefix is never code.
 */

export type LineKind = 'blank' | 'comment' | 'prose' | 'code';

/** Words that may start a statement; a line starting with one is never prose by its prefix. */
const STATEMENT_WORDS = new Set([
  'and',
  'as',
  'assert',
  'async',
  'await',
  'break',
  'case',
  'class',
  'continue',
  'def',
  'del',
  'elif',
  'else',
  'except',
  'finally',
  'for',
  'from',
  'global',
  'if',
  'import',
  'in',
  'is',
  'lambda',
  'match',
  'nonlocal',
  'not',
  'or',
  'pass',
  'print',
  'raise',
  'return',
  'try',
  'type',
  'while',
  'with',
  'yield',
  // Enough of the C family that a JavaScript or Java answer is not waved through as prose.
  'const',
  'let',
  'var',
  'function',
  'public',
  'private',
  'static',
  'int',
  'void',
]);

/** Words that join names in a condition: `while x in seen:` is code, not three words of prose. */
const OPERATOR_WORDS = new Set(['and', 'or', 'in', 'is', 'not', 'if', 'for', 'else']);

// A list item, a heading, a quote, a LaTeX span, bold or a table row: Markdown, not code.
const MARKDOWN_START = /^(?:[-+•]\s|\*\s|\*\*|\d{1,3}[.)]\s|#{1,6}\s|>\s|\$|\\[[(]|\|)/u;
// One word, then a space and a letter: `Great question`, `Think about`. Not a Python statement
// unless the word is a keyword (`for x`, `return total`). Expression statements such as
// `x if c else y` are let through as prose: deciding at the second word's first letter keeps
// the hold-back of a prose line to its first word, and a lone expression hands over nothing.
// Digits may follow the first letter (`Python3 has`, `step2 is`): two names side by side are
// never a Python statement either.
const TWO_WORDS = /^([\p{L}][\p{L}\p{N}'’-]*)[ \t]+([\p{L}][\p{L}\p{N}'’-]*)/u;
// A capitalised word and sentence punctuation: `Sure, let`, `Yes! `, `Nice.`
const SENTENCE_START = /^\p{Lu}[\p{L}'’]*[,!?.;:][ \t]/u;
// An inline code span that opens the line: `` `sum()` adds… `` — prose that quotes code.
const INLINE_CODE_START = /^`[^`]/u;

/**
 * True when the start of a line (leading spaces ignored) shows it can only be prose. Undecided
 * prefixes answer false; the caller waits for more text or the end of the line.
 */
export function isProsePrefix(line: string): boolean {
  const text = line.trimStart();
  if (MARKDOWN_START.test(text) || SENTENCE_START.test(text) || INLINE_CODE_START.test(text))
    return true;
  const words = TWO_WORDS.exec(text);
  if (!words) return false;
  const first = words[1] ?? '';
  return !STATEMENT_WORDS.has(first) && !STATEMENT_WORDS.has(first.toLowerCase());
}

const CODE_CHARS = /[=<>()[\]{}%+*/;]/;
const IDENT = String.raw`[A-Za-z_]\w*`;
const TARGET = String.raw`${IDENT}(?:\.${IDENT})*(?:\[[^\]]*\])*`;

const STRICT_CODE: RegExp[] = [
  /^>>>(?:\s|$)/, // a REPL prompt
  /^@[A-Za-z_][\w.]*/, // a decorator
  /^(?:async\s+)?def\s+[A-Za-z_]\w*\s*\(/,
  /^class\s+[A-Za-z_]\w*\s*[(:]/,
  new RegExp(String.raw`^for\s+\(?${IDENT}(?:\s*,\s*${IDENT})*\)?\s+in\s+.+:\s*(?:#.*)?$`),
  /^(?:else|try|finally)\s*:\s*(?:#.*)?$/,
  /^except\b.*:\s*(?:#.*)?$/,
  /^(?:pass|break|continue)\s*(?:#.*)?$/,
  /^import\s+[\w.]+(?:\s+as\s+\w+)?(?:\s*,\s*[\w.]+(?:\s+as\s+\w+)?)*\s*$/,
  /^from\s+[\w.]+\s+import\s+\S/,
  // Assignment, augmented or annotated: `total = 0`, `total += x`, `xs[i], xs[j] = …`, `n: int = 0`.
  new RegExp(
    String.raw`^${TARGET}(?:\s*,\s*${TARGET})*\s*(?::\s*[\w.[\], ]+)?\s*(?:\+|-|\*\*|\*|//|/|%|&|\||\^|>>|<<|@)?=(?!=)\s*\S`,
  ),
  // A call or method chain as a statement: `print(total)`, `xs.append(x)`.
  new RegExp(String.raw`^${TARGET}\s*\(.*\)[\w.()[\]]*\s*;?\s*$`),
  /^(?:const|let|var)\s+[A-Za-z_$][\w$]*/,
  /^function\b/,
  /^[\])}]+[);,]*\s*$/, // closing brackets on their own line
];

/** A keyword line whose rest must look like code: `if n < 0:` is code, `if you get stuck:` is not. */
const KEYWORD_WITH_EXPRESSION =
  /^(if|elif|while|with|return|raise|yield|assert|del|global|nonlocal|await)\b(.*)$/;

function isKeywordStatement(text: string): boolean {
  const match = KEYWORD_WITH_EXPRESSION.exec(text);
  if (!match) return false;
  const [, keyword = '', rest = ''] = match;
  const body = rest.trim();
  const needsColon =
    keyword === 'if' || keyword === 'elif' || keyword === 'while' || keyword === 'with';
  if (needsColon && !/:\s*(?:#.*)?$/.test(body)) return false;
  if (body === '' || body === ':')
    return keyword === 'return' || keyword === 'raise' || keyword === 'yield';
  if (rest !== '' && !/^\s/.test(rest)) return false; // `returned`, `iffy`
  const words = body
    .replace(/:\s*(?:#.*)?$/, '')
    .split(/\s+/)
    .filter(Boolean);
  if (CODE_CHARS.test(body)) return true;
  // `if not xs:`, `while x in seen:`, `return total`; not `if you get stuck:`.
  if (!needsColon) return words.length <= 1;
  return words.length <= 2 || (words.length === 3 && OPERATOR_WORDS.has(words[1] ?? ''));
}

/** Prose inside a code fence: pseudocode steps such as "for each number in the list:". */
function isProseLike(text: string): boolean {
  if (isProsePrefix(text)) return true;
  const words = text.split(/\s+/).filter(Boolean);
  return words.length >= 3 && !CODE_CHARS.test(text);
}

/** Does this complete line look like code? Inside a fence, anything but prose counts. */
export function classifyLine(line: string, isInFence: boolean): LineKind {
  const text = line.trim();
  if (text === '') return 'blank';
  if (text.startsWith('#') || text.startsWith('//')) return isInFence ? 'comment' : 'prose';
  const isStrictCode = () =>
    STRICT_CODE.some((pattern) => pattern.test(text)) || isKeywordStatement(text);
  if (isInFence)
    return !isProsePrefix(text) && isStrictCode() ? 'code' : isProseLike(text) ? 'prose' : 'code';
  return !isProsePrefix(text) && isStrictCode() ? 'code' : 'prose';
}

export interface Fence {
  char: '`' | '~';
  length: number;
}

/** A Markdown fence opener (up to three spaces of indent, then ``` or ~~~), or null. */
export function fenceOpener(line: string): Fence | null {
  const match = /^ {0,3}(`{3,}|~{3,})([^`]*)$/.exec(line.replace(/\r$/, ''));
  if (!match) return null;
  const marks = match[1] ?? '';
  return { char: marks[0] as Fence['char'], length: marks.length };
}

/** Whether `line` closes `fence`: the same character, at least as many, nothing after. */
export function closesFence(line: string, fence: Fence): boolean {
  const match = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line.replace(/\r$/, ''));
  const marks = match?.[1] ?? '';
  return marks.length >= fence.length && marks[0] === fence.char;
}
