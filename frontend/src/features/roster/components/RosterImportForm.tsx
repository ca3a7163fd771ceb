import { useId, useState, type ChangeEvent, type FormEvent } from 'react';
import type { ImportRosterResponse } from '@hintbook/contracts';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { CheckboxField } from '../../../components/CheckboxField';
import { useAuthOptions } from '../../auth/hooks/useAuthOptions';
import { importRoster } from '../api';
import { messageOf } from '../../../hooks/useAdminData';
import { RosterResults } from './RosterResults';

/** Paste or upload a class list; shows what happened to every row, with links to hand out. */
export function RosterImportForm({ onImported }: { onImported(): void }) {
  const textId = useId();
  const fileId = useId();
  const [text, setText] = useState('');
  const [sendEmails, setSendEmails] = useState(false);
  const canSendMail = useAuthOptions()?.canSendMail ?? false;
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<ImportRosterResponse | null>(null);

  async function handleFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (file) setText(await file.text());
  }

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    if (text.trim() === '') {
      setError('Paste a class list or choose a file first.');
      return;
    }
    setIsBusy(true);
    setError(null);
    try {
      setResult(await importRoster({ text, sendEmails: sendEmails && canSendMail }));
      setText('');
      onImported();
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setIsBusy(false);
    }
  }

  return (
    <div className="stack">
      <form className="form" noValidate onSubmit={(event) => void handleSubmit(event)}>
        {error ? <Alert tone="error">{error}</Alert> : null}
        <div className="field">
          <label className="field-label" htmlFor={textId}>
            Class list
          </label>
          <p className="field-hint" id={`${textId}-hint`}>
            A spreadsheet export with columns email, name and group (in any order), or just email
            addresses, one a line or separated by commas.
          </p>
          <textarea
            id={textId}
            className="input"
            rows={8}
            aria-describedby={`${textId}-hint`}
            value={text}
            placeholder={'email,name,group\nada@your-school.org,Ada Lovelace,9B'}
            onChange={(event) => setText(event.target.value)}
          />
        </div>
        <div className="field">
          <label className="field-label" htmlFor={fileId}>
            Or choose a CSV file
          </label>
          <input
            id={fileId}
            type="file"
            accept=".csv,text/csv,text/plain"
            onChange={(event) => void handleFile(event)}
          />
        </div>
        <CheckboxField
          label={
            canSendMail
              ? 'Email the invitations'
              : 'Email the invitations (not available: this Hintbook has no mail server, so you get links to hand out)'
          }
          checked={sendEmails && canSendMail}
          disabled={!canSendMail}
          onChange={(event) => setSendEmails(event.target.checked)}
        />
        <div>
          <Button type="submit" isBusy={isBusy} busyLabel="Importing…">
            Import class list
          </Button>
        </div>
      </form>
      {result ? <RosterResults result={result} /> : null}
    </div>
  );
}
