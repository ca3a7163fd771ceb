import {
  findSensitiveSpans,
  type RedactionKind,
  type SensitiveSpan,
  type StudentIdentity,
} from './redaction-patterns.js';

export interface SpanScanOptions {
  kinds: ReadonlySet<RedactionKind>;
  identity?: StudentIdentity | undefined;
}

export interface SpanCache {
  /** What `findSensitiveSpans` finds in `text`, scanned once per text and options while kept. */
  spansOf(text: string, options: SpanScanOptions, optionsKey: string): readonly SensitiveSpan[];
}

/** The same options give the same key: the kinds in a fixed order, then the identity. */
export function spanOptionsKey(options: SpanScanOptions): string {
  const kinds = [...options.kinds].sort().join(',');
  const identity = options.identity
    ? [options.identity.email, ...options.identity.names].join('\u0000')
    : '';
  return `${kinds}\u0001${identity}`;
}

export interface SpanCacheLimits {
  /** Texts kept at most; the least recently used goes first. */
  maxTexts: number;
  /** Characters of kept texts at most, so a few huge cells cannot hold much memory. */
  maxChars: number;
}

/**
 * Every call of every turn sends the conversation's history again, and each message would pass
 * all the detectors (about 20 regexes) each time: on a loaded backend that scanning is a
 * measurable share of the event loop (bench/README.md, issue 13). The spans depend only on the
 * text and the options (kinds, the student's identity), so they are kept for recently sent
 * texts. The placeholders stay the vault's: each turn still numbers its own values.
 *
 * What is kept is text this process has just read or received anyway, bounded by `limits`.
 */
export function createSpanCache(
  limits: SpanCacheLimits,
  scan: (text: string, options: SpanScanOptions) => SensitiveSpan[] = findSensitiveSpans,
): SpanCache {
  // text → options key → spans; a Map iterates in insertion order, so the first is the oldest.
  const kept = new Map<string, Map<string, readonly SensitiveSpan[]>>();
  let keptChars = 0;

  const evictUntilRoom = (incoming: number) => {
    for (const text of kept.keys()) {
      if (kept.size < limits.maxTexts && keptChars + incoming <= limits.maxChars) return;
      kept.delete(text);
      keptChars -= text.length;
    }
  };

  return {
    spansOf(text, options, optionsKey) {
      const perOptions = kept.get(text);
      const hit = perOptions?.get(optionsKey);
      if (hit) {
        // Most recently used goes last.
        kept.delete(text);
        kept.set(text, perOptions!);
        return hit;
      }
      const spans = scan(text, options);
      if (text.length > limits.maxChars) return spans;
      if (perOptions) {
        perOptions.set(optionsKey, spans);
        return spans;
      }
      evictUntilRoom(text.length);
      kept.set(text, new Map([[optionsKey, spans]]));
      keptChars += text.length;
      return spans;
    },
  };
}

/** The process's cache: a few hundred conversations' recent messages at 100 live streams. */
export const sharedSpanCache = createSpanCache({ maxTexts: 20_000, maxChars: 4_000_000 });
