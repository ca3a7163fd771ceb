import {
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
  type PointerEvent,
  type ReactNode,
} from 'react';

interface SplitPaneProps {
  left: ReactNode;
  right: ReactNode;
  /** Labels the separator for screen readers. */
  label: string;
  /** Where the chosen split is remembered between visits. */
  storageKey: string;
}

const MIN = 30;
const MAX = 80;
const STEP = 5;
const DEFAULT = 62;

function readStored(key: string): number {
  try {
    const value = Number(localStorage.getItem(key));
    return value >= MIN && value <= MAX ? value : DEFAULT;
  } catch {
    return DEFAULT;
  }
}

function clamp(value: number): number {
  return Math.min(MAX, Math.max(MIN, value));
}

/**
 * Two panes side by side with a draggable, keyboard-operable separator (arrow keys, Home, End).
 * Narrow screens stack the panes (CSS) and hide the separator.
 */
export function SplitPane({ left, right, label, storageKey }: SplitPaneProps) {
  const [percent, setPercent] = useState(() => readStored(storageKey));
  const containerRef = useRef<HTMLDivElement>(null);
  const isDragging = useRef(false);

  function commit(next: number) {
    const value = clamp(Math.round(next * 10) / 10);
    setPercent(value);
    try {
      localStorage.setItem(storageKey, String(value));
    } catch {
      // Storage may be off (private mode): the split just is not remembered.
    }
  }

  function handleKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const moves: Record<string, number> = {
      ArrowLeft: percent - STEP,
      ArrowUp: percent - STEP,
      ArrowRight: percent + STEP,
      ArrowDown: percent + STEP,
      Home: MIN,
      End: MAX,
    };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    commit(next);
  }

  function handlePointerDown(event: PointerEvent<HTMLDivElement>) {
    // Capture keeps the drag going over the iframe, which would otherwise swallow the events.
    event.currentTarget.setPointerCapture(event.pointerId);
    isDragging.current = true;
  }

  function handlePointerMove(event: PointerEvent<HTMLDivElement>) {
    const box = containerRef.current?.getBoundingClientRect();
    if (!isDragging.current || !box || box.width === 0) return;
    commit(((event.clientX - box.left) / box.width) * 100);
  }

  function handlePointerUp(event: PointerEvent<HTMLDivElement>) {
    isDragging.current = false;
    event.currentTarget.releasePointerCapture(event.pointerId);
  }

  return (
    <div
      className="split"
      ref={containerRef}
      style={{ '--split-left': `${percent}%` } as CSSProperties}
    >
      <div className="split-pane split-left">{left}</div>
      <div
        className="split-separator"
        role="separator"
        aria-orientation="vertical"
        aria-label={label}
        aria-valuemin={MIN}
        aria-valuemax={MAX}
        aria-valuenow={Math.round(percent)}
        tabIndex={0}
        onKeyDown={handleKeyDown}
        onPointerDown={handlePointerDown}
        onPointerMove={handlePointerMove}
        onPointerUp={handlePointerUp}
        onPointerCancel={handlePointerUp}
      />
      <div className="split-pane split-right">{right}</div>
    </div>
  );
}
