import { previewNotebook } from '../admin-api';
import { formatBytes } from '../../../lib/format';
import { useAdminData } from '../../../hooks/useAdminData';
import { AdminDataView } from '../../../components/AdminDataView';

interface NotebookPreviewProps {
  moduleId: string;
  notebookId: string;
}

interface Cell {
  cell_type?: unknown;
  source?: unknown;
}

function sourceOf(cell: Cell): string {
  if (Array.isArray(cell.source)) return cell.source.join('');
  return typeof cell.source === 'string' ? cell.source : '';
}

/** The notebook exactly as a student opening it gets it: its cells and the files beside it. */
export function NotebookPreview({ moduleId, notebookId }: NotebookPreviewProps) {
  const { state, reload } = useAdminData(
    (signal) => previewNotebook(moduleId, notebookId, signal),
    `${moduleId}|${notebookId}`,
  );
  return (
    <section className="notebook-preview" aria-label="Preview">
      <AdminDataView state={state} what="the preview" onRetry={reload}>
        {({ notebook, files }) => {
          const cells = (notebook.content as { cells?: Cell[] }).cells ?? [];
          return (
            <>
              <p className="cell-note">
                What a student gets: {cells.length} cells
                {files.length > 0
                  ? `, with ${files.map((file) => `${file.path} (${formatBytes(file.sizeBytes)})`).join(', ')}`
                  : ''}
                .
              </p>
              <ol className="plain-list preview-cells">
                {cells.map((cell, index) => (
                  <li key={index} className={`preview-cell preview-${String(cell.cell_type)}`}>
                    <span className="visually-hidden">
                      {cell.cell_type === 'code' ? 'Code cell' : 'Text cell'}
                    </span>
                    <pre>{sourceOf(cell)}</pre>
                  </li>
                ))}
              </ol>
            </>
          );
        }}
      </AdminDataView>
    </section>
  );
}
