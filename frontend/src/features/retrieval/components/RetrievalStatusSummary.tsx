import type { RetrievalStatus } from '@hintbook/contracts';
import { formatCount } from '../../../lib/format';

/** Why search is by words only, in the operator's terms: what to set or install. */
const FULL_TEXT_REASONS: Record<NonNullable<RetrievalStatus['reason']>, string> = {
  no_embedding_key:
    'by words only: set COHERE_API_KEY or VOYAGE_API_KEY to also search by meaning.',
  no_pgvector:
    'by words only: this database has no pgvector extension, so vectors cannot be stored.',
  dimension_mismatch:
    'by words only: EMBEDDING_DIMENSIONS differs from the database’s vector column.',
};

/**
 * How the tutor finds course material for its answers, and how much is indexed: a teacher who
 * just imported a module can see it is ready, and an operator sees what meaning search lacks.
 */
export function RetrievalStatusSummary({ status }: { status: RetrievalStatus }) {
  const { course, own, embedded, pending } = status.passages;
  return (
    <div className="retrieval-status">
      <p>
        <strong>Course search:</strong>{' '}
        {status.reason
          ? FULL_TEXT_REASONS[status.reason]
          : `by words and by meaning (${status.embedding!.provider}, ${status.embedding!.model}).`}
      </p>
      <p>
        {formatCount(course)} course passages and {formatCount(own)} from students’ own notebooks
        indexed
        {status.mode === 'hybrid'
          ? pending > 0
            ? `; ${formatCount(embedded)} searchable by meaning, ${formatCount(pending)} waiting.`
            : '; all searchable by meaning.'
          : '.'}
      </p>
    </div>
  );
}
