import { useState } from 'react';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { messageOf } from '../../../hooks/useAdminData';
import { saveBlob } from '../../../lib/download';
import { getModuleStudentProgress } from '../admin-api';
import { classProgressCsv } from '../class-progress-csv';

/** The module's progress student by student, as a CSV for the teacher's gradebook. */
export function ProgressDownload({ moduleId, slug }: { moduleId: string; slug: string }) {
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function handleDownload() {
    setIsBusy(true);
    setError(null);
    try {
      const progress = await getModuleStudentProgress(moduleId);
      saveBlob(
        new Blob([classProgressCsv(progress)], { type: 'text/csv;charset=utf-8' }),
        `hintbook-${slug}-progress-${new Date().toISOString().slice(0, 10)}.csv`,
      );
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setIsBusy(false);
    }
  }

  return (
    <div className="stack-small">
      {error ? <Alert tone="error">The progress could not be downloaded: {error}</Alert> : null}
      <div>
        <Button
          variant="secondary"
          isBusy={isBusy}
          busyLabel="Preparing…"
          onClick={() => void handleDownload()}
        >
          Download progress per student (CSV)
        </Button>
      </div>
    </div>
  );
}
