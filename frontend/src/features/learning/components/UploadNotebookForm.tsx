import { useId, useRef, useState, type FormEvent } from 'react';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { FormField } from '../../../components/FormField';
import { uploadModuleNotebook } from '../admin-api';
import { messageOf } from '../../../hooks/useAdminData';
import { readFileText, titleFromFilename } from '../read-file';

interface UploadNotebookFormProps {
  moduleId: string;
  onUploaded(): void;
}

/** A new notebook at the end of the module, from an .ipynb file. */
export function UploadNotebookForm({ moduleId, onUploaded }: UploadNotebookFormProps) {
  const fileId = useId();
  const fileRef = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [title, setTitle] = useState('');
  const [isUploading, setIsUploading] = useState(false);
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    if (isUploading) return;
    if (!file) {
      setMessage({ tone: 'error', text: 'Choose an .ipynb file first.' });
      return;
    }
    setIsUploading(true);
    setMessage(null);
    try {
      const content = await readFileText(file);
      const notebook = await uploadModuleNotebook(moduleId, {
        title: title.trim() || titleFromFilename(file.name),
        content,
      });
      setMessage({ tone: 'success', text: `Added “${notebook.title}”.` });
      setFile(null);
      setTitle('');
      if (fileRef.current) fileRef.current.value = '';
      onUploaded();
    } catch (caught) {
      setMessage({ tone: 'error', text: messageOf(caught) });
    } finally {
      setIsUploading(false);
    }
  }

  return (
    <form className="form" onSubmit={(event) => void handleSubmit(event)}>
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      <div className="field">
        <label className="field-label" htmlFor={fileId}>
          Notebook file (.ipynb)
        </label>
        <input
          id={fileId}
          ref={fileRef}
          type="file"
          accept=".ipynb,application/x-ipynb+json,application/json"
          onChange={(event) => {
            const chosen = event.target.files?.[0] ?? null;
            setFile(chosen);
            if (chosen && !title) setTitle(titleFromFilename(chosen.name));
          }}
        />
      </div>
      <FormField
        label="Notebook title"
        maxLength={200}
        value={title}
        onChange={(event) => setTitle(event.target.value)}
      />
      <div>
        <Button type="submit" isBusy={isUploading} busyLabel="Uploading…">
          Upload notebook
        </Button>
      </div>
    </form>
  );
}
