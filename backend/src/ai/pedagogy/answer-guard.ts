/**
 * The answer guard: below partial code (hint level 4), an answer may not hand over runnable
 * code beyond a few lines, fenced or not, nor reproduce much of the exercise's reference
 * solution. It runs on the stream itself, so text it would reject is never released, not even as
 * a delta: prose goes out at once, while a code fence or a run of code lines is held until it is
 * known to be short enough. Each character is looked at a bounded number of times, so the cost per
 * delta does not grow with the answer.
 */
import { classifyLine, closesFence, fenceOpener, isProsePrefix, type Fence } from './code-lines.js';
import type { HintLevel } from './hint-levels.js';
import {
  countCodeTokens,
  createNgramCounter,
  referenceNgrams,
  wordBoundary,
} from './solution-overlap.js';

export type GuardTripReason = 'code_lines' | 'solution_overlap';

export interface GuardLimits {
  /** Most code lines in one fence or one run of unfenced code lines. */
  maxBlockCodeLines: number;
  /** Most code lines in the whole answer, so a solution cut into many small fences still trips. */
  maxTotalCodeLines: number;
  /** Tokens per n-gram when comparing with the reference solution. */
  ngram: number;
  /** Share of the reference's n-grams an answer may contain before it counts as a copy. */
  maxOverlap: number;
  /** Matches below this never trip, so a tiny reference is not tripped by a single phrase. */
  minOverlapNgrams: number;
}

/**
 * Tuned on answer-guard.fixtures.ts: a two-line syntax example and a pointer to `sum` pass; a
 * five-line function, a solution spread over small fences and a recommented copy trip.
 */
export const DEFAULT_GUARD_LIMITS: GuardLimits = {
  maxBlockCodeLines: 4,
  maxTotalCodeLines: 5,
  ngram: 5,
  maxOverlap: 0.4,
  minOverlapNgrams: 4,
};

/** Code-level help starts here; below it the guard applies. */
export const GUARD_BELOW_LEVEL: HintLevel = 4;

export function isGuarded(programmingLevel: HintLevel): boolean {
  return programmingLevel < GUARD_BELOW_LEVEL;
}

export interface GuardTrip {
  reason: GuardTripReason;
  /** Code lines counted when it tripped. */
  codeLines: number;
  /** Share of the reference's n-grams seen, 0 without a reference. */
  overlap: number;
}

export interface GuardStep {
  /** Text that is safe to show now (may be empty). */
  release: string;
  /** Set once the answer tripped; nothing is released from then on. */
  trip?: GuardTrip;
}

export interface GuardOptions {
  limits?: GuardLimits;
  /** The exercise's reference solution, when the answer is about one. */
  referenceSolution?: string | undefined;
}

export interface StreamGuard {
  push(text: string): GuardStep;
  /** The model finished: releases what was held if it passed. */
  finish(): GuardStep;
}

/**
 * One guard per answer. Two stages: the line stage decides what is structurally safe (prose at
 * once, code blocks once closed and short enough); the overlap stage then checks those words
 * against the reference before they leave, holding back only a word cut by the chunk's end.
 */
export function createStreamGuard(options: GuardOptions = {}): StreamGuard {
  const limits = options.limits ?? DEFAULT_GUARD_LIMITS;
  const overlap = createOverlapStage(limits, options.referenceSolution);
  let line = '';
  let isLineProse = false;
  let held = '';
  let heldKind: 'none' | 'run' | 'fence' = 'none';
  let fence: Fence | null = null;
  let blockLines = 0;
  let totalLines = 0;
  let out = '';
  let trip: GuardTrip | undefined;

  const releaseHeld = () => {
    out += held;
    held = '';
    heldKind = 'none';
    fence = null;
  };

  const countCodeLine = () => {
    blockLines += 1;
    totalLines += 1;
    if (blockLines > limits.maxBlockCodeLines || totalLines > limits.maxTotalCodeLines) {
      trip = { reason: 'code_lines', codeLines: totalLines, overlap: overlap.share() };
    }
  };

  const appendPartial = (text: string) => {
    if (isLineProse) {
      out += text;
      return;
    }
    line += text;
    if (heldKind === 'fence' || !isProsePrefix(line)) return;
    // The line can only be prose: whatever code run came before it has ended.
    releaseHeld();
    out += line;
    isLineProse = true;
  };

  const completeLine = (ending: string) => {
    const full = line;
    const wasProse = isLineProse;
    line = '';
    isLineProse = false;
    if (wasProse) {
      out += ending;
      return;
    }
    const text = full + ending;
    if (heldKind === 'fence' && fence) {
      held += text;
      if (closesFence(full, fence)) releaseHeld();
      else if (classifyLine(full, true) === 'code') countCodeLine();
      return;
    }
    const opener = fenceOpener(full);
    if (opener) {
      releaseHeld();
      heldKind = 'fence';
      fence = opener;
      blockLines = 0;
      held = text;
      return;
    }
    const kind = classifyLine(full, false);
    if (kind === 'code') {
      if (heldKind === 'none') {
        heldKind = 'run';
        blockLines = 0;
      }
      held += text;
      countCodeLine();
    } else if (kind === 'blank' && heldKind === 'run') {
      held += text; // a blank line inside a run of code may be followed by more of it
    } else {
      releaseHeld();
      out += text;
    }
  };

  const step = (isFinal: boolean): GuardStep => {
    if (trip) return { release: '', trip };
    const chunk = out;
    out = '';
    const result = overlap.pass(chunk, isFinal);
    if (result.tripped) {
      trip = { reason: 'solution_overlap', codeLines: totalLines, overlap: overlap.share() };
      return { release: '', trip };
    }
    return { release: result.release };
  };

  return {
    push(text) {
      if (trip) return { release: '', trip };
      let rest = text;
      while (rest.length > 0 && !trip) {
        const newline = rest.indexOf('\n');
        if (newline < 0) {
          appendPartial(rest);
          break;
        }
        appendPartial(rest.slice(0, newline));
        completeLine('\n');
        rest = rest.slice(newline + 1);
      }
      return step(false);
    },
    finish() {
      if (trip) return { release: '', trip };
      if (line !== '' || isLineProse) completeLine('');
      if (!trip) releaseHeld();
      return step(true);
    },
  };
}

/**
 * A reference this short (`n * n`) is too generic to match on: the guard then checks code lines
 * only.
 */
const MIN_REFERENCE_TOKENS = 3;

/**
 * The overlap stage; without a reference it lets everything through untouched. A reference
 * shorter than the n-gram (`return n * n`, four tokens) is matched as one whole n-gram of its own
 * length, so a one-line solution cannot slip through for having no 5-grams.
 */
function createOverlapStage(limits: GuardLimits, reference: string | undefined) {
  const size = reference?.trim() ? Math.min(limits.ngram, countCodeTokens(reference)) : 0;
  const grams =
    reference && size >= MIN_REFERENCE_TOKENS ? referenceNgrams(reference, { n: size }) : undefined;
  if (!grams || grams.size === 0) {
    return {
      pass: (text: string, _isFinal: boolean) => ({ release: text, tripped: false }),
      share: () => 0,
    };
  }
  const counter = createNgramCounter(grams, { n: size });
  const tripAt = Math.max(
    Math.min(limits.minOverlapNgrams, grams.size),
    Math.ceil(limits.maxOverlap * grams.size),
  );
  let tail = '';
  return {
    pass(text: string, isFinal: boolean) {
      const pending = tail + text;
      const cut = isFinal ? pending.length : wordBoundary(pending);
      tail = pending.slice(cut);
      const ready = pending.slice(0, cut);
      if (ready === '') return { release: '', tripped: false };
      return counter.feed(ready) >= tripAt
        ? { release: '', tripped: true }
        : { release: ready, tripped: false };
    },
    share: () => counter.matched / grams.size,
  };
}

export interface GuardVerdict {
  trip: GuardTrip | null;
}

/** The guard over a whole answer; the same verdict the stream gets, whatever its chunking. */
export function checkAnswer(text: string, options: GuardOptions = {}): GuardVerdict {
  const guard = createStreamGuard(options);
  const pushed = guard.push(text);
  if (pushed.trip) return { trip: pushed.trip };
  return { trip: guard.finish().trip ?? null };
}
