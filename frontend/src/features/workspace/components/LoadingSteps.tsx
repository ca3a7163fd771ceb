import { useEffect, useState } from 'react';
import type { BridgePhase } from '../hooks/useBridge';

const STEPS = [
  { step: 'loading-app', label: 'Loading the notebook app' },
  { step: 'opening', label: 'Opening your notebook' },
  { step: 'starting-python', label: 'Starting Python' },
] as const;

interface LoadingStepsProps {
  phase: BridgePhase;
  startedAt: number;
}

/** What happens while Python starts in the browser, so a 10-second wait never looks stuck. */
export function LoadingSteps({ phase, startedAt }: LoadingStepsProps) {
  const [now, setNow] = useState(() => Date.now());
  const isRunning = phase.step !== 'ready' && phase.step !== 'failed';

  useEffect(() => {
    if (!isRunning) return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [isRunning]);

  if (phase.step === 'ready') return null;
  if (phase.step === 'failed') {
    return (
      <div className="loading-steps" role="alert">
        <p>{phase.message}</p>
      </div>
    );
  }
  const current = STEPS.findIndex((entry) => entry.step === phase.step);
  const seconds = Math.max(0, Math.floor((now - startedAt) / 1000));
  const label = STEPS[current]?.label ?? 'Loading';
  return (
    <div className="loading-steps" role="status" aria-live="polite">
      <p className="loading-steps-title">
        {label}… <span className="loading-steps-time">{seconds} s</span>
      </p>
      <progress
        className="loading-steps-bar"
        max={STEPS.length}
        value={current + 0.5}
        aria-label="Workspace loading progress"
      />
      <ol className="loading-steps-list">
        {STEPS.map((entry, index) => (
          <li
            key={entry.step}
            className={index < current ? 'done' : index === current ? 'current' : undefined}
            aria-current={index === current ? 'step' : undefined}
          >
            {entry.label}
            {index < current ? ' ✓' : null}
          </li>
        ))}
      </ol>
      <p className="loading-steps-hint">
        Python runs inside your browser, so the first start takes a few seconds.
      </p>
    </div>
  );
}
