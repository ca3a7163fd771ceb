import { REDACTION_KINDS, type RedactionKind, type StudentIdentity } from './redaction-patterns.js';
import { sharedSpanCache, spanOptionsKey, type SpanCache } from './span-cache.js';

export { REDACTION_KINDS, type RedactionKind, type StudentIdentity };

/** Distinct values withheld, per kind. Values themselves are never counted or logged. */
export type RedactionCounts = Record<RedactionKind, number>;

export interface RedactionOptions {
  kinds: ReadonlySet<RedactionKind>;
  identity?: StudentIdentity | undefined;
  /** Where found spans are kept between calls; the process's own unless a test gives one. */
  spanCache?: SpanCache;
}

/**
 * The placeholders of one turn (every call it makes: answer, classification, summary, the
 * retrieval query) and the values behind them. One vault per turn: the same value gets the same
 * placeholder in every call, and the answer's placeholders turn back into the student's values.
 */
export interface RedactionVault {
  /** The text with personal data and secrets replaced by `⟦EMAIL_1⟧`-style placeholders. */
  redact(text: string): string;
  /** Known placeholders back to their values; anything else (an invented `⟦EMAIL_9⟧`) stays. */
  restore(text: string): string;
  counts(): RedactionCounts;
}

const LABELS: Record<RedactionKind, string> = {
  name: 'NAME',
  email: 'EMAIL',
  phone: 'PHONE',
  secret: 'SECRET',
};
const PLACEHOLDER = /⟦[A-Z]+(?:_[A-Z]+)?(?:_\d+)?⟧/g;

export function createRedactionVault(options: RedactionOptions): RedactionVault {
  const placeholderOf = new Map<string, string>();
  const valueOf = new Map<string, string>();
  const counters: RedactionCounts = { name: 0, email: 0, phone: 0, secret: 0 };
  const spanCache = options.spanCache ?? sharedSpanCache;
  const optionsKey = spanOptionsKey(options);

  return {
    redact(text) {
      if (options.kinds.size === 0 || text === '') return text;
      const spans = spanCache.spansOf(text, options, optionsKey);
      if (spans.length === 0) return text;
      let result = '';
      let from = 0;
      for (const found of spans) {
        const mapKey = `${found.fixedLabel ?? found.kind}\u0000${found.key}`;
        let placeholder = placeholderOf.get(mapKey);
        if (!placeholder) {
          counters[found.kind] += 1;
          placeholder = found.fixedLabel
            ? `⟦${found.fixedLabel}⟧`
            : `⟦${LABELS[found.kind]}_${counters[found.kind]}⟧`;
          placeholderOf.set(mapKey, placeholder);
          // The first spelling seen is the one the student gets back.
          if (!valueOf.has(placeholder))
            valueOf.set(placeholder, text.slice(found.start, found.end));
        }
        result += text.slice(from, found.start) + placeholder;
        from = found.end;
      }
      return result + text.slice(from);
    },
    restore(text) {
      if (valueOf.size === 0 || !text.includes('⟦')) return text;
      return text.replace(PLACEHOLDER, (placeholder) => valueOf.get(placeholder) ?? placeholder);
    },
    counts: () => ({ ...counters }),
  };
}

/** Longest placeholder we emit (`⟦STUDENT_EMAIL⟧`, `⟦SECRET_1234⟧`), with room to spare. */
const MAX_PLACEHOLDER_LENGTH = 24;
const PLACEHOLDER_BODY = /^[A-Z0-9_]*$/;

export interface StreamRestorer {
  /** The text that can be shown now; a trailing `⟦…` that may still become a placeholder waits. */
  push(delta: string): string;
  /** Whatever is held back, at the end of the stream. */
  flush(): string;
}

/**
 * Restores placeholders in a streamed answer, where one may arrive split across deltas. A delta
 * without `⟦` and nothing held costs one `indexOf`; only a possible placeholder prefix is held.
 */
export function createStreamRestorer(vault: Pick<RedactionVault, 'restore'>): StreamRestorer {
  let held = '';
  return {
    push(delta) {
      if (held === '' && !delta.includes('⟦')) return delta;
      const text = held + delta;
      const open = text.lastIndexOf('⟦');
      const tail = open === -1 ? '' : text.slice(open + 1);
      const mayBePlaceholder =
        open !== -1 &&
        !tail.includes('⟧') &&
        tail.length < MAX_PLACEHOLDER_LENGTH &&
        PLACEHOLDER_BODY.test(tail);
      held = mayBePlaceholder ? text.slice(open) : '';
      return vault.restore(mayBePlaceholder ? text.slice(0, open) : text);
    },
    flush() {
      const rest = held;
      held = '';
      return vault.restore(rest);
    },
  };
}
