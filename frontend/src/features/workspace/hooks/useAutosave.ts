import { useEffect, useRef, useState, useSyncExternalStore } from 'react';

/** What the save badge shows; `pending` means a change is waiting for its debounce. */
export type AutosaveState =
  | { status: 'saved'; savedAt: number | null }
  | { status: 'pending' }
  | { status: 'saving' }
  | { status: 'offline'; attempt: number; retryInMs: number }
  | { status: 'conflict'; currentVersion: number | null }
  | { status: 'error'; message: string };

export interface SaveOptions {
  /** The page is going away: the request must outlive it (`fetch` keepalive). */
  isUnloading: boolean;
}

/** How a failed save is to be treated; the caller maps its own error type onto this. */
export type SaveFailure =
  | { kind: 'conflict'; currentVersion: number | null }
  | { kind: 'transient' }
  | { kind: 'fatal'; message: string };

export interface AutosaveDeps<T> {
  /** Reads the latest content (and marks it clean at the source). */
  read(): Promise<T>;
  /** Stores `content` on top of `baseVersion`; resolves with the new version. */
  save(content: T, baseVersion: number, options: SaveOptions): Promise<{ version: number }>;
  classify(error: unknown): SaveFailure;
  /**
   * What of the content the server keeps, as a comparable string. With it, a change that leaves
   * that equal to what the server holds is not sent (JupyterLab writes the kernel's
   * `language_info` into every notebook it opens, which is no edit of the student's).
   */
  fingerprint?(content: T): string;
  /** The content as the server holds it at the initial version (compared by `fingerprint`). */
  storedContent?: T;
  /** Wait after the first change before saving; the bridge reports a change only once. */
  debounceMs?: number;
  /** Offline retries: first delay, doubled each time up to the maximum. */
  retryInitialMs?: number;
  retryMaxMs?: number;
  now?(): number;
}

export interface Autosave {
  getState(): AutosaveState;
  subscribe(listener: () => void): () => void;
  /** The version the next save builds on. */
  getVersion(): number;
  /** The content changed: save within the debounce. */
  markDirty(): void;
  /** Save now (page hidden or left, or the student asked). Resolves when this attempt ends. */
  flush(options?: Partial<SaveOptions>): Promise<void>;
  /** Conflict, "keep mine": save the latest content on top of `currentVersion`. */
  keepMine(currentVersion: number): Promise<void>;
  /** Start over from content the caller just loaded (conflict "reload", reset to original). */
  reset(version: number): void;
  /** True while something is not on the server yet. */
  hasUnsavedChanges(): boolean;
  dispose(): void;
}

/**
 * The save state machine, free of React and the DOM so it can be tested with fake timers.
 *
 * Rules: a change schedules one save after `debounceMs` (not pushed back by later changes, so
 * a student typing without pause still gets saved every few seconds); one save runs at a time
 * and a change during it schedules another; a transient failure keeps the content and retries
 * with exponential backoff, re-reading first so the retry carries the newest text; a conflict
 * stops saving until the student chooses; nothing the source gave us is dropped before the
 * server has it.
 */
export function createAutosave<T>(initialVersion: number, deps: AutosaveDeps<T>): Autosave {
  const debounceMs = deps.debounceMs ?? 2_500;
  const retryInitialMs = deps.retryInitialMs ?? 1_000;
  const retryMaxMs = deps.retryMaxMs ?? 30_000;
  const now = deps.now ?? Date.now;
  const listeners = new Set<() => void>();
  let state: AutosaveState = { status: 'saved', savedAt: null };
  let version = initialVersion;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let inFlight: Promise<void> | null = null;
  let isDirty = false;
  let attempt = 0;
  // Content read from the source but not yet on the server: the source already counts it clean.
  let unsaved: { content: T } | null = null;
  let generation = 0;
  let isDisposed = false;
  // What the server holds at `version`, when known; null after a conflict or a reset.
  let storedFingerprint =
    deps.fingerprint && deps.storedContent !== undefined
      ? deps.fingerprint(deps.storedContent)
      : null;
  let lastSavedAt: number | null = null;
  // Counts the source's change reports, so a look at an older one knows a newer one came.
  let changeReports = 0;

  function setState(next: AutosaveState) {
    state = next;
    for (const listener of listeners) listener();
  }

  function clearTimer() {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  }

  function schedule(delayMs: number) {
    if (timer !== null || isDisposed) return;
    timer = setTimeout(() => {
      timer = null;
      void run({ isUnloading: false });
    }, delayMs);
  }

  /** Resolves false when nothing needed sending: the server already holds this content. */
  async function attemptSave(options: SaveOptions, runGeneration: number): Promise<boolean> {
    let content: T;
    try {
      content = await deps.read();
      isDirty = false;
      unsaved = { content };
    } catch (error) {
      // The notebook app did not answer: keep what we already hold, or wait for the next try.
      if (unsaved === null) throw error;
      content = unsaved.content;
    }
    const held = unsaved;
    const fingerprint = deps.fingerprint?.(content) ?? null;
    if (fingerprint !== null && fingerprint === storedFingerprint) {
      if (unsaved === held) unsaved = null;
      return false;
    }
    const result = await deps.save(content, version, options);
    if (runGeneration !== generation) return true;
    version = result.version;
    storedFingerprint = fingerprint;
    if (unsaved === held) unsaved = null;
    return true;
  }

  /**
   * A change reported while everything was saved may be none of the student's (JupyterLab writes
   * the kernel's `language_info` into every notebook it opens): read first, and only say
   * "Saving…" when what the server keeps would change. The read marks the source clean, so a
   * later edit is reported again.
   */
  async function lookBeforeSaving(report: number): Promise<void> {
    const runGeneration = generation;
    let content: T | undefined;
    try {
      content = await deps.read();
    } catch {
      // The notebook app did not answer: the save reads again.
    }
    const isStale =
      report !== changeReports || runGeneration !== generation || isDisposed || inFlight;
    if (isStale || state.status !== 'saved') return;
    if (content !== undefined && deps.fingerprint?.(content) === storedFingerprint) {
      isDirty = false;
      return;
    }
    if (content !== undefined) unsaved = { content };
    setState({ status: 'pending' });
    schedule(debounceMs);
  }

  async function run(options: SaveOptions): Promise<void> {
    if (inFlight) {
      isDirty = true; // saved by the follow-up once the running save ends
      return inFlight;
    }
    if (state.status === 'conflict' || isDisposed) return;
    clearTimer();
    const runGeneration = generation;
    setState({ status: 'saving' });
    inFlight = attemptSave(options, runGeneration).then(
      (isSent) => {
        inFlight = null;
        if (runGeneration !== generation) return;
        attempt = 0;
        if (isSent) lastSavedAt = now();
        if (isDirty || unsaved) {
          setState({ status: 'pending' });
          schedule(debounceMs);
        } else setState({ status: 'saved', savedAt: lastSavedAt });
      },
      (error: unknown) => {
        inFlight = null;
        if (runGeneration !== generation) return;
        const failure = deps.classify(error);
        if (failure.kind === 'conflict') {
          clearTimer();
          // Another version won: whatever the student keeps next must be sent.
          storedFingerprint = null;
          setState({ status: 'conflict', currentVersion: failure.currentVersion });
        } else if (failure.kind === 'transient') {
          attempt += 1;
          const retryInMs = Math.min(retryMaxMs, retryInitialMs * 2 ** (attempt - 1));
          setState({ status: 'offline', attempt, retryInMs });
          schedule(retryInMs);
        } else {
          setState({ status: 'error', message: failure.message });
        }
      },
    );
    return inFlight;
  }

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    getVersion: () => version,
    markDirty() {
      isDirty = true;
      changeReports += 1;
      if (state.status === 'conflict' || inFlight) return;
      if (state.status === 'saved' && storedFingerprint !== null) {
        void lookBeforeSaving(changeReports);
        return;
      }
      if (state.status === 'saved' || state.status === 'error') setState({ status: 'pending' });
      // Offline: the scheduled retry re-reads, so this change rides along with it.
      schedule(debounceMs);
    },
    async flush(options = {}) {
      if (!isDirty && !unsaved && !inFlight) return;
      if (state.status === 'conflict') return;
      clearTimer();
      await run({ isUnloading: options.isUnloading ?? false });
    },
    async keepMine(currentVersion) {
      version = currentVersion;
      isDirty = true;
      attempt = 0;
      setState({ status: 'pending' });
      await run({ isUnloading: false });
    },
    reset(nextVersion) {
      generation += 1;
      clearTimer();
      version = nextVersion;
      isDirty = false;
      unsaved = null;
      storedFingerprint = null;
      lastSavedAt = null;
      attempt = 0;
      inFlight = null;
      setState({ status: 'saved', savedAt: null });
    },
    hasUnsavedChanges: () => isDirty || unsaved !== null || inFlight !== null,
    dispose() {
      isDisposed = true;
      clearTimer();
      listeners.clear();
    },
  };
}

/** Binds an autosave machine to the page: state for rendering, saves on hide and on leave. */
export function useAutosave<T>(
  key: string | null,
  initialVersion: number | null,
  deps: AutosaveDeps<T>,
): Autosave | null {
  const [autosave, setAutosave] = useState<Autosave | null>(null);
  const depsRef = useRef(deps);
  useEffect(() => {
    depsRef.current = deps;
  });

  useEffect(() => {
    if (key === null || initialVersion === null) return;
    // Indirection so the machine always calls the latest callbacks without being recreated.
    const machine = createAutosave<T>(initialVersion, {
      ...depsRef.current,
      read: () => depsRef.current.read(),
      save: (content, base, options) => depsRef.current.save(content, base, options),
      classify: (error) => depsRef.current.classify(error),
    });
    setAutosave(machine);
    const handleVisibility = () => {
      if (document.visibilityState === 'hidden') void machine.flush({ isUnloading: true });
    };
    const handlePageHide = () => void machine.flush({ isUnloading: true });
    const handleBeforeUnload = (event: BeforeUnloadEvent) => {
      if (!machine.hasUnsavedChanges()) return;
      void machine.flush({ isUnloading: true });
      event.preventDefault();
    };
    document.addEventListener('visibilitychange', handleVisibility);
    window.addEventListener('pagehide', handlePageHide);
    window.addEventListener('beforeunload', handleBeforeUnload);
    return () => {
      document.removeEventListener('visibilitychange', handleVisibility);
      window.removeEventListener('pagehide', handlePageHide);
      window.removeEventListener('beforeunload', handleBeforeUnload);
      // Leaving the workspace inside the app: save what is left, then stop.
      void machine.flush().finally(() => machine.dispose());
      setAutosave(null);
    };
    // The machine is per notebook and per loaded version; the deps are read through the ref.
  }, [key, initialVersion]);

  return autosave;
}

/** Re-renders on every state change of the machine. */
export function useAutosaveState(autosave: Autosave | null): AutosaveState | null {
  return useSyncExternalStore(
    autosave?.subscribe ?? noopSubscribe,
    () => autosave?.getState() ?? null,
  );
}

function noopSubscribe() {
  return () => {};
}
