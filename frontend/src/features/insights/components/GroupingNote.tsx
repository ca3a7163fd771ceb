import type { QuestionInsightsResponse } from '@hintbook/contracts';
import { Alert } from '../../../components/Alert';

interface GroupingNoteProps {
  report: Pick<QuestionInsightsResponse, 'method' | 'fallback' | 'embeddingModel'>;
}

/** How the questions were grouped, and in plain words why keywords when it was keywords. */
export function GroupingNote({ report }: GroupingNoteProps) {
  if (report.method === 'embeddings') {
    return (
      <p className="field-hint">
        Grouped by meaning (embedding model <code>{report.embeddingModel}</code>).
      </p>
    );
  }
  if (report.fallback === 'embedding_failed') {
    return (
      <Alert tone="info">
        The embedding service did not answer, so these groups are by shared keywords for now. Reload
        the page later to group the questions by meaning.
      </Alert>
    );
  }
  return (
    <Alert tone="info">
      Grouped by shared keywords, because no embedding key is configured (
      <code>COHERE_API_KEY</code> or <code>VOYAGE_API_KEY</code>). Questions that mean the same in
      different words may end up in different groups.
    </Alert>
  );
}
