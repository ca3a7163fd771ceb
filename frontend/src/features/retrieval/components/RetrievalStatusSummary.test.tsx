import type { RetrievalStatus } from '@hintbook/contracts';
import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { RetrievalStatusSummary } from './RetrievalStatusSummary';

const hybrid: RetrievalStatus = {
  mode: 'hybrid',
  reason: null,
  embedding: { provider: 'voyage', model: 'voyage-3.5' },
  passages: { course: 1200, own: 35, embedded: 1235, pending: 0 },
};

const textOf = (status: RetrievalStatus) =>
  render(<RetrievalStatusSummary status={status} />).container.textContent;

describe('RetrievalStatusSummary', () => {
  it('names the embedding model when search is by meaning too, and says all is embedded', () => {
    const text = textOf(hybrid);
    expect(text).toContain('Course search: by words and by meaning (voyage, voyage-3.5).');
    expect(text).toContain('1,200 course passages and 35 from students’ own notebooks indexed');
    expect(text).toContain('all searchable by meaning.');
  });

  it('counts passages still waiting for a vector', () => {
    const text = textOf({
      ...hybrid,
      passages: { ...hybrid.passages, embedded: 1000, pending: 235 },
    });
    expect(text).toContain('1,000 searchable by meaning, 235 waiting.');
  });

  it('says what is missing when search is by words only', () => {
    const base = { ...hybrid, mode: 'full_text' as const, embedding: null };
    expect(textOf({ ...base, reason: 'no_embedding_key' })).toContain(
      'set COHERE_API_KEY or VOYAGE_API_KEY',
    );
    expect(textOf({ ...base, reason: 'no_pgvector' })).toContain('no pgvector extension');
  });
});
