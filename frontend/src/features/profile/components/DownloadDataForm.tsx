import { useState, type FormEvent } from 'react';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { useApiForm } from '../../../hooks/useApiForm';
import { useDownloadMyData } from '../hooks/useDownloadMyData';

const NO_FIELDS = [] as const;

export function DownloadDataForm() {
  const { formError, formRef, isSubmitting, submit } = useApiForm({ fields: NO_FIELDS });
  const downloadMyData = useDownloadMyData();
  const [isDownloaded, setIsDownloaded] = useState(false);

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setIsDownloaded(false);
    setIsDownloaded(await submit(downloadMyData));
  }

  return (
    <form
      className="form"
      ref={formRef}
      aria-labelledby="export-heading"
      onSubmit={(event) => void handleSubmit(event)}
    >
      <h2 id="export-heading">Your data</h2>
      {formError ? (
        <Alert tone="error" isFormError>
          {formError}
        </Alert>
      ) : null}
      {isDownloaded ? <Alert tone="success">Your data has been downloaded.</Alert> : null}
      <p className="form-note">
        Download everything Hintbook stores about you as one JSON file you can keep or read.
      </p>
      <Button type="submit" variant="secondary" isBusy={isSubmitting} busyLabel="Preparing…">
        Download my data
      </Button>
    </form>
  );
}
