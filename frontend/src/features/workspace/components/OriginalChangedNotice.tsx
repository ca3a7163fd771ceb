import { useState } from 'react';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';

interface OriginalChangedNoticeProps {
  onKeep(): Promise<void>;
  onStartOver(): Promise<void>;
}

/** The teacher replaced the notebook after the student started: they choose, nothing is silent. */
export function OriginalChangedNotice({ onKeep, onStartOver }: OriginalChangedNoticeProps) {
  const [busy, setBusy] = useState<'keep' | 'reset' | null>(null);

  async function run(which: 'keep' | 'reset') {
    if (busy) return;
    if (
      which === 'reset' &&
      !window.confirm('Start from the new version? Your changes to this notebook will be replaced.')
    ) {
      return;
    }
    setBusy(which);
    try {
      await (which === 'keep' ? onKeep() : onStartOver());
    } finally {
      setBusy(null);
    }
  }

  return (
    <Alert tone="info">
      <strong>Your teacher updated this notebook.</strong> You can keep working on your copy, or
      start again from the new version.{' '}
      <span className="notice-actions">
        <Button
          variant="secondary"
          isBusy={busy === 'keep'}
          busyLabel="Keeping…"
          onClick={() => void run('keep')}
        >
          Keep mine
        </Button>
        <Button
          variant="secondary"
          isBusy={busy === 'reset'}
          busyLabel="Starting over…"
          onClick={() => void run('reset')}
        >
          Start from the new version
        </Button>
      </span>
    </Alert>
  );
}
