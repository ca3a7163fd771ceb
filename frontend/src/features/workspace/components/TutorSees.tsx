import type { NotebookContext } from '@hintbook/contracts';

const SNIPPET_CHARS = 40;

/** The cell's first non-empty line, short enough for one line of the pane. */
function snippetOf(source: string): string {
  const line =
    source
      .split('\n')
      .find((text) => text.trim().length > 0)
      ?.trim() ?? '';
  return line.length > SNIPPET_CHARS ? `${line.slice(0, SNIPPET_CHARS - 1)}…` : line;
}

/**
 * What goes to the tutor with the next question, read from the notebook when the student moves
 * into the question box: the page says the tutor sees the cell and the last error, and this shows
 * which ones, so a student who clicked the wrong cell can fix that before asking.
 */
export function TutorSees({
  id,
  context,
}: {
  /** The question box names it as its description (aria-describedby). */
  id?: string;
  context: NotebookContext | undefined;
}) {
  if (context === undefined) return null;
  const cell = context.activeCellSource?.trim() ? snippetOf(context.activeCellSource) : null;
  const error = context.lastError?.ename ?? null;
  if (cell === null && error === null) {
    return (
      <p className="tutor-sees" id={id}>
        The tutor sees only your question: click into a cell first to show it your code.
      </p>
    );
  }
  return (
    <p className="tutor-sees" id={id}>
      With your question the tutor sees{' '}
      {cell !== null ? (
        <>
          the cell <code>{cell}</code>
        </>
      ) : null}
      {cell !== null && error !== null ? ' and ' : null}
      {error !== null ? (
        <>
          the last error, <code>{error}</code>
        </>
      ) : null}
      .
    </p>
  );
}
