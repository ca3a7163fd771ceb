/**
 * Evidence of a new attempt since the tutor's last completed answer, from what is at hand
 * before the answer starts: the message itself, the workspace's live notebook snapshot compared
 * with the one the tutor saw last, and the classifier's verdict on the previous message. Pure and
 * deterministic; the only "model" here is a handful of regular expressions.
 */
import { createHash } from 'node:crypto';
import type { NotebookContext } from '@hintbook/contracts';

/** Hashes of what the tutor saw of the notebook; stored per session, compared next turn. */
export interface NotebookSnapshot {
  /** The active cell's source (whitespace-normalised); null when empty. */
  cell: string | null;
  /** Outputs plus the error with its traceback: changes whenever a run shows something new. */
  run: string | null;
  /** The last error's name and message (no traceback: line numbers move with every edit). */
  error: string | null;
}

export interface Evidence {
  /** The active cell changed and a run produced something different. */
  changedAndRan: boolean;
  /** An error, or an output that looks like a failure, the tutor has not seen yet. */
  newFailure: boolean;
  /** The message contains code or quotes an error: concrete work to look at. */
  messageShowsWork: boolean;
  /** The message says what was tried or what happened, in words. */
  messageDescribesAttempt: boolean;
  /** The classifier judged the previous message an attempt that the rules above missed. */
  classifierSawEffort: boolean;
}

/**
 * `concrete`: work the tutor can look at (changed and ran code, a new failure, code or an error
 * in the message); only this counts towards code-level help. `words`: an account of an attempt,
 * which is harder to check, so it climbs the outline levels only. `none`: nothing new.
 */
export type EvidenceStrength = 'none' | 'words' | 'concrete';

export const NO_EVIDENCE: Evidence = {
  changedAndRan: false,
  newFailure: false,
  messageShowsWork: false,
  messageDescribesAttempt: false,
  classifierSawEffort: false,
};

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** Trailing spaces and line endings are not an edit. */
function normaliseSource(source: string): string {
  return source
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim();
}

/** What to store of a notebook snapshot; null when the turn carried none. */
export function snapshotNotebook(context: NotebookContext | undefined): NotebookSnapshot | null {
  if (!context) return null;
  const source = normaliseSource(context.activeCellSource ?? '');
  const outputs = (context.activeCellOutputs ?? []).filter((output) => output.trim() !== '');
  const { lastError } = context;
  const errorLine = lastError ? `${lastError.ename}: ${lastError.evalue.trim()}` : '';
  const hasRun = outputs.length > 0 || lastError !== undefined;
  return {
    cell: source ? digest(source) : null,
    run: hasRun ? digest([...outputs, errorLine, lastError?.traceback ?? ''].join('\u0000')) : null,
    error: lastError ? digest(errorLine) : null,
  };
}

/** A hash of the message, so sending the very same text again is not a new attempt. */
export function fingerprintMessage(message: string): string {
  return digest(message.trim().replace(/\s+/g, ' ').toLowerCase());
}

// A failing test or a printed traceback shows up in the outputs, not always as `lastError`.
const FAILING_OUTPUT =
  /Traceback \(most recent call last\)|\b[A-Z]\w*(?:Error|Exception)\b|\bFAILED\b|\btests? failed\b/;

const CODE_IN_MESSAGE = [
  /```/,
  /`[^`\n]*[=(.[\]:][^`\n]*`/,
  /^\s*def \w+\s*\(/m,
  /^\s*class \w+.*:\s*$/m,
  /^\s*for \w+(?:\s*,\s*\w+)* in .+:\s*$/m,
  /^\s*(?:while|if|elif) .+:\s*$/m,
  /^\s*(?:return|import) \S/m,
  /^\s*from \S+ import \S/m,
  // An assignment at the start of a line: `total = 0`, `xs[0] += 1`.
  /^\s*[A-Za-z_]\w*(?:\[[^\]\n]*\])?\s*[-+*/%]?=\s*[^=\s]/m,
  // A call: `sum(numbers)`, `print()`. Prose puts a space before its brackets.
  /\b[A-Za-z_][\w.]*\([^()\n]*\)/,
];

const ERROR_IN_MESSAGE = [/\b[A-Z][A-Za-z]*(?:Error|Exception)\b/, /Traceback/];

const ATTEMPT_IN_MESSAGE = [
  /\bI(?:['’]ve| have)? (?:tried|changed|wrote|written|used|added|removed|replaced|ran|run|got|fixed|put|typed|tested|checked|made)\b/i,
  /\bit (?:says|said|prints|printed|returns|returned|gives|gave|shows|showed|outputs|fails|failed|crashes|crashed|raises|raised|throws|threw)\b/i,
  /\bmy (?:code|function|loop|solution|attempt|version|output|result|program|cell|test)\b/i,
  /\b(?:doesn['’]?t|does not|didn['’]?t|did not|won['’]?t|isn['’]?t|is not) (?:work|run|compile|print|return|pass)/i,
  /\b(?:instead of|expected|but got)\b/i,
];

export interface MessageSignals {
  hasCode: boolean;
  quotesError: boolean;
  describesAttempt: boolean;
}

/** What a message shows of the student's own work. Bare demands ("give me the code") show none. */
export function readMessage(message: string): MessageSignals {
  return {
    hasCode: CODE_IN_MESSAGE.some((pattern) => pattern.test(message)),
    quotesError: ERROR_IN_MESSAGE.some((pattern) => pattern.test(message)),
    describesAttempt: ATTEMPT_IN_MESSAGE.some((pattern) => pattern.test(message)),
  };
}

export interface EvidenceInput {
  message: string;
  /** The notebook snapshot sent with this message, if any. */
  notebookContext?: NotebookContext | undefined;
  /** What the tutor saw at its last completed answer in this session. */
  seen: NotebookSnapshot | null;
  /** The previous completed turn's message fingerprint. */
  lastMessageFingerprint: string | null;
  /** Stored by the classification of the previous completed turn. */
  pendingEffort: boolean;
}

/** Since the tutor's last completed answer: did the student try something new? */
export function findEvidence(input: EvidenceInput): Evidence {
  const now = snapshotNotebook(input.notebookContext);
  const { seen } = input;
  // Without a previous snapshot nothing can be said to have changed; an error, though, is new
  // to the tutor whenever it has not seen one like it.
  const changedAndRan =
    now !== null &&
    seen?.cell != null &&
    now.cell !== null &&
    now.cell !== seen.cell &&
    now.run !== null &&
    now.run !== seen.run;
  const failingOutput =
    now?.run != null &&
    now.run !== seen?.run &&
    (input.notebookContext?.activeCellOutputs ?? []).some((output) => FAILING_OUTPUT.test(output));
  const newFailure = (now?.error != null && now.error !== seen?.error) || failingOutput;
  // The very same message again is asking again, whatever it says.
  const repeated = fingerprintMessage(input.message) === input.lastMessageFingerprint;
  const signals = repeated
    ? { hasCode: false, quotesError: false, describesAttempt: false }
    : readMessage(input.message);
  return {
    changedAndRan,
    newFailure,
    messageShowsWork: signals.hasCode || signals.quotesError,
    messageDescribesAttempt: signals.describesAttempt,
    classifierSawEffort: input.pendingEffort,
  };
}

export function strengthOf(evidence: Evidence): EvidenceStrength {
  if (evidence.changedAndRan || evidence.newFailure || evidence.messageShowsWork) return 'concrete';
  if (evidence.messageDescribesAttempt || evidence.classifierSawEffort) return 'words';
  return 'none';
}
