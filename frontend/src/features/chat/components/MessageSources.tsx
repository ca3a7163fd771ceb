import type { MaterialSource } from '@hintbook/contracts';
import { Link } from 'react-router';

/** One line under an answer: a notebook and the cells of it the answer drew on, or a file. */
interface CitedPlace {
  key: string;
  label: string;
  href: string | null;
}

/** Where a cited passage can be opened: its notebook's workspace; data files have no page. */
function hrefOf(source: MaterialSource): string | null {
  if (!source.notebookId) return null;
  if (source.origin === 'own') return `/notebooks/${source.notebookId}`;
  return source.moduleId ? `/modules/${source.moduleId}/notebooks/${source.notebookId}` : null;
}

const CELL_SUFFIX = / · cell \d+$/;

/**
 * Six passages from one notebook read better as one citation with its cells ("… · cells 1, 3,
 * 5") than as six near-identical lines. Order follows the first, most relevant, passage.
 */
export function groupSources(sources: MaterialSource[]): CitedPlace[] {
  const places = new Map<string, { source: MaterialSource; cells: number[] }>();
  for (const source of sources) {
    const isCell = source.notebookId !== null && source.cellIndex !== null;
    const key = isCell ? `${source.origin}:${source.notebookId}` : `${source.citation}`;
    const place = places.get(key) ?? { source, cells: [] };
    if (isCell && !place.cells.includes(source.cellIndex! + 1)) {
      place.cells.push(source.cellIndex! + 1);
    }
    places.set(key, place);
  }
  return [...places.entries()].map(([key, { source, cells }]) => {
    const sorted = cells.sort((a, b) => a - b);
    const base =
      sorted.length === 0
        ? source.citation
        : `${source.citation.replace(CELL_SUFFIX, '')} · ${sorted.length === 1 ? 'cell' : 'cells'} ${sorted.join(', ')}`;
    return {
      key,
      label: source.origin === 'own' ? `${base} (yours)` : base,
      href: hrefOf(source),
    };
  });
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
        {groupSources(sources).map((place) => (
          <li key={place.key}>
            {place.href ? <Link to={place.href}>{place.label}</Link> : place.label}
          </li>
        ))}
      </ul>
    </aside>
  );
}
