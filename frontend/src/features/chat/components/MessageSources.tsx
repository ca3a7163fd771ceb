import type { MaterialSource } from '@hintbook/contracts';
import { Link } from 'react-router';

/** Where a cited passage can be opened: its notebook's workspace; data files have no page. */
function hrefOf(source: MaterialSource): string | null {
  if (!source.notebookId) return null;
  if (source.origin === 'own') return `/notebooks/${source.notebookId}`;
  return source.moduleId ? `/modules/${source.moduleId}/notebooks/${source.notebookId}` : null;
}

/**
 * The course passages an answer was grounded in, as short citations under it, so the student
 * can go back to the material instead of relying on the tutor's retelling.
 */
export function MessageSources({ sources }: { sources: MaterialSource[] }) {
  if (sources.length === 0) return null;
  return (
    <aside className="message-sources" aria-label="Course material this answer draws on">
      <span className="message-sources-label">From the course:</span>
      <ul>
        {sources.map((source) => {
          const href = hrefOf(source);
          const label = source.origin === 'own' ? `${source.citation} (yours)` : source.citation;
          return (
            <li key={`${source.notebookId ?? ''}:${source.citation}`}>
              {href ? <Link to={href}>{label}</Link> : label}
            </li>
          );
        })}
      </ul>
    </aside>
  );
}
