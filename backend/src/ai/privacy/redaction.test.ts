import { describe, expect, it } from 'vitest';
import { COUNTER_EXAMPLES, EXAMPLES, STUDENT } from './redaction.fixtures.js';
import {
  createRedactionVault,
  createStreamRestorer,
  REDACTION_KINDS,
  type RedactionKind,
} from './redaction.js';

const ALL = new Set<RedactionKind>(REDACTION_KINDS);
const vaultFor = (kinds: ReadonlySet<RedactionKind> = ALL) =>
  createRedactionVault({ kinds, identity: STUDENT });

describe('redaction before the provider', () => {
  it.each(EXAMPLES)('replaces $name', ({ text, redacted }) => {
    expect(vaultFor().redact(text)).toBe(redacted);
  });

  it.each(COUNTER_EXAMPLES)('leaves $name untouched', ({ text }) => {
    expect(vaultFor().redact(text)).toBe(text);
  });

  it.each(EXAMPLES)('gives back the original of $name', ({ text }) => {
    const vault = vaultFor();
    // A value written twice in different case comes back as first written.
    expect(vault.restore(vault.redact(text)).toLowerCase()).toBe(text.toLowerCase());
  });

  it('keeps a value’s placeholder across the calls of one turn', () => {
    const vault = vaultFor();
    expect(vault.redact('write to ola@gmail.com')).toBe('write to ⟦EMAIL_1⟧');
    expect(vault.redact('or +48 601 234 567, then ola@gmail.com')).toBe(
      'or ⟦PHONE_1⟧, then ⟦EMAIL_1⟧',
    );
    expect(vault.redact('not ed@gmail.com')).toBe('not ⟦EMAIL_2⟧');
  });

  it('treats a phone number written two ways as one value', () => {
    const vault = vaultFor();
    expect(vault.redact('+49 30 1234 5678 / 0049 30 12345678')).toBe('⟦PHONE_1⟧ / ⟦PHONE_1⟧');
  });

  it('counts distinct values per kind, never occurrences', () => {
    const vault = vaultFor();
    vault.redact('mkowalski, ola@gmail.com, ola@gmail.com, ed@gmail.com, password = "hunter22"');
    vault.redact('again ola@gmail.com');
    expect(vault.counts()).toEqual({ name: 1, email: 2, phone: 0, secret: 1 });
  });

  it('redacts only the kinds that are switched on', () => {
    const vault = vaultFor(new Set<RedactionKind>(['secret']));
    expect(vault.redact('ola@gmail.com +48 601 234 567 token = "abcdef"')).toBe(
      'ola@gmail.com +48 601 234 567 token = "⟦SECRET_1⟧"',
    );
  });

  it('sends everything unchanged when redaction is off', () => {
    const text = EXAMPLES.map((example) => example.text).join('\n');
    expect(vaultFor(new Set()).redact(text)).toBe(text);
  });

  it('leaves placeholders it never handed out as the model wrote them', () => {
    const vault = vaultFor();
    vault.redact('ola@gmail.com');
    expect(vault.restore('⟦EMAIL_1⟧ and ⟦EMAIL_7⟧')).toBe('ola@gmail.com and ⟦EMAIL_7⟧');
  });

  it('does not take a student’s everyday-word username for a name', () => {
    const vault = createRedactionVault({
      kinds: ALL,
      identity: { names: ['data', 'al'], email: 'x@school.example' },
    });
    expect(vault.redact('data = load(); al = 1')).toBe('data = load(); al = 1');
  });
});

describe('restoring a streamed answer', () => {
  const vault = vaultFor();
  vault.redact('Mail ola@gmail.com from maya.kowalski@school.example');
  const answer = 'Send it to ⟦EMAIL_1⟧ as ⟦STUDENT_EMAIL⟧, not ⟦ here.';
  const shown = 'Send it to ola@gmail.com as maya.kowalski@school.example, not ⟦ here.';

  function streamed(deltas: string[]) {
    const restorer = createStreamRestorer(vault);
    const out = deltas.map((delta) => restorer.push(delta));
    return { out, text: out.join('') + restorer.flush() };
  }

  it.each(Array.from({ length: answer.length - 1 }, (_, index) => index + 1))(
    'restores placeholders when the answer is split at position %i',
    (position) => {
      expect(streamed([answer.slice(0, position), answer.slice(position)]).text).toBe(shown);
    },
  );

  it('restores when every character is its own delta', () => {
    expect(streamed([...answer]).text).toBe(shown);
  });

  it('never shows part of a placeholder', () => {
    const { out } = streamed([...answer]);
    for (const piece of out) expect(piece).not.toMatch(/⟦[A-Z_0-9]+$|^[A-Z_0-9]*⟧/);
  });

  it('passes a delta without a bracket through as it is', () => {
    const restorer = createStreamRestorer(vault);
    const delta = 'plain text';
    expect(restorer.push(delta)).toBe(delta);
  });

  it('releases a bracket at once when what follows cannot be a placeholder', () => {
    const restorer = createStreamRestorer(vault);
    expect(restorer.push('⟦')).toBe('');
    expect(restorer.push(' not one')).toBe('⟦ not one');
  });

  it('gives back a dangling prefix when the stream ends', () => {
    const restorer = createStreamRestorer(vault);
    expect(restorer.push('to ⟦EMA')).toBe('to ');
    expect(restorer.flush()).toBe('⟦EMA');
  });
});
