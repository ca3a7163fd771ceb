import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAutosave, type AutosaveDeps, type SaveFailure } from './useAutosave';

class Conflict extends Error {
  constructor(readonly currentVersion: number) {
    super('conflict');
  }
}
class Offline extends Error {}

function classify(error: unknown): SaveFailure {
  if (error instanceof Conflict) return { kind: 'conflict', currentVersion: error.currentVersion };
  if (error instanceof Offline) return { kind: 'transient' };
  return { kind: 'fatal', message: String(error) };
}

/** A source whose content the test edits, and a server that stores versions. */
function setup(overrides: Partial<AutosaveDeps<string>> = {}) {
  let content = 'v0';
  const server = { version: 1, content: 'v0', failWith: null as Error | null };
  const saves: Array<{ content: string; baseVersion: number; isUnloading: boolean }> = [];
  const deps: AutosaveDeps<string> = {
    read: vi.fn(async () => content),
    save: vi.fn(async (body: string, baseVersion: number, options) => {
      saves.push({ content: body, baseVersion, isUnloading: options.isUnloading });
      if (server.failWith) throw server.failWith;
      if (baseVersion !== server.version) throw new Conflict(server.version);
      server.version += 1;
      server.content = body;
      return { version: server.version };
    }),
    classify,
    debounceMs: 2_000,
    retryInitialMs: 1_000,
    retryMaxMs: 8_000,
    ...overrides,
  };
  const autosave = createAutosave(1, deps);
  return {
    autosave,
    server,
    saves,
    edit(next: string) {
      content = next;
      autosave.markDirty();
    },
  };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the autosave state machine', () => {
  it('waits for the debounce, then saves the latest content on top of the stored version', async () => {
    const { autosave, server, saves, edit } = setup();
    edit('a');
    expect(autosave.getState().status).toBe('pending');
    await vi.advanceTimersByTimeAsync(1_000);
    edit('ab'); // the bridge reports dirty once; later edits do not push the save back
    expect(saves).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(saves).toEqual([{ content: 'ab', baseVersion: 1, isUnloading: false }]);
    expect(autosave.getState().status).toBe('saved');
    expect(server).toMatchObject({ version: 2, content: 'ab' });
    expect(autosave.getVersion()).toBe(2);

    edit('abc');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(saves.at(-1)).toMatchObject({ content: 'abc', baseVersion: 2 });
  });

  it('saves again after a save when the content changed while it ran', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const stored: string[] = [];
    let version = 1;
    const ctx = setup({
      save: vi.fn(async (body: string) => {
        if (stored.length === 0) await gate; // the first save is slow
        stored.push(body);
        version += 1;
        return { version };
      }),
    });
    ctx.edit('first');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(ctx.autosave.getState().status).toBe('saving');
    ctx.edit('second');
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(ctx.autosave.getState().status).toBe('pending');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(stored).toEqual(['first', 'second']);
    expect(ctx.autosave.getState().status).toBe('saved');
  });

  it('stops on a conflict until the student keeps their version on top of the current one', async () => {
    const { autosave, server, saves, edit } = setup();
    server.version = 5; // saved elsewhere meanwhile
    edit('mine');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(autosave.getState()).toEqual({ status: 'conflict', currentVersion: 5 });
    edit('mine, more');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(saves).toHaveLength(1); // nothing is saved over the other version silently

    await autosave.keepMine(5);
    expect(saves.at(-1)).toMatchObject({ content: 'mine, more', baseVersion: 5 });
    expect(autosave.getState().status).toBe('saved');
    expect(server.content).toBe('mine, more');
  });

  it('sends nothing for a change that leaves what the server keeps as it is', async () => {
    // The fingerprint keeps what the server stores: here, the text without trailing spaces.
    const fingerprint = (content: string) => content.trimEnd();
    const { autosave, server, saves, edit } = setup({ fingerprint, storedContent: 'v0' });
    edit('v0   ');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(saves).toHaveLength(0);
    expect(autosave.getState()).toEqual({ status: 'saved', savedAt: null });

    edit('v1');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(saves).toEqual([{ content: 'v1', baseVersion: 1, isUnloading: false }]);
    const { savedAt } = autosave.getState() as { savedAt: number };
    expect(savedAt).toEqual(expect.any(Number));

    // Back to what was just saved: nothing sent, and the badge keeps the last real save's time.
    edit('v1  ');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(saves).toHaveLength(1);
    expect(autosave.getState()).toEqual({ status: 'saved', savedAt });
    expect(server).toMatchObject({ version: 2, content: 'v1' });
  });

  it('says nothing about saving for a change that turns out to be none', async () => {
    const fingerprint = (content: string) => content.trimEnd();
    const { autosave, saves, edit } = setup({ fingerprint, storedContent: 'v0' });
    const shown: string[] = [];
    autosave.subscribe(() => shown.push(autosave.getState().status));
    edit('v0   '); // what JupyterLab's own write on open looks like
    await vi.advanceTimersByTimeAsync(5_000);
    expect(shown).toEqual([]);
    expect(saves).toHaveLength(0);
    expect(autosave.hasUnsavedChanges()).toBe(false);

    // A real edit still goes "Saving…" → "Saved" within the debounce.
    edit('v1');
    await vi.advanceTimersByTimeAsync(0);
    expect(autosave.getState().status).toBe('pending');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(saves).toEqual([{ content: 'v1', baseVersion: 1, isUnloading: false }]);
    expect(shown).toEqual(['pending', 'saving', 'saved']);
  });

  it('saves an edit made while it looked at an earlier change', async () => {
    const fingerprint = (content: string) => content.trimEnd();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let content = 'v0  ';
    let reads = 0;
    const ctx = setup({
      fingerprint,
      storedContent: 'v0',
      read: vi.fn(async () => {
        reads += 1;
        const seen = content;
        if (reads === 1) await gate; // the first look is slow
        return seen;
      }),
    });
    ctx.autosave.markDirty();
    content = 'v2';
    ctx.autosave.markDirty(); // reported while the first look still runs
    release();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(ctx.saves).toEqual([{ content: 'v2', baseVersion: 1, isUnloading: false }]);
    expect(ctx.autosave.getState().status).toBe('saved');
  });

  it('after a conflict, keeps the student’s version even when it equals what they opened', async () => {
    const fingerprint = (content: string) => content;
    const { autosave, server, saves, edit } = setup({ fingerprint, storedContent: 'v0' });
    server.version = 5;
    edit('mine');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(autosave.getState().status).toBe('conflict');

    edit('v0'); // back to the text first opened, which is no longer what the server holds
    await autosave.keepMine(5);
    expect(saves.at(-1)).toMatchObject({ content: 'v0', baseVersion: 5 });
    expect(server).toMatchObject({ version: 6, content: 'v0' });
  });

  it('retries offline saves with a growing delay and never drops the latest content', async () => {
    const { autosave, server, saves, edit } = setup();
    server.failWith = new Offline();
    edit('one');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(autosave.getState()).toEqual({ status: 'offline', attempt: 1, retryInMs: 1_000 });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(autosave.getState()).toEqual({ status: 'offline', attempt: 2, retryInMs: 2_000 });
    edit('one two'); // typed while offline: the retry carries it
    await vi.advanceTimersByTimeAsync(2_000);
    expect(autosave.getState()).toMatchObject({ attempt: 3, retryInMs: 4_000 });
    await vi.advanceTimersByTimeAsync(4_000);
    expect(autosave.getState()).toMatchObject({ attempt: 4, retryInMs: 8_000 });
    await vi.advanceTimersByTimeAsync(8_000);
    expect(autosave.getState()).toMatchObject({ attempt: 5, retryInMs: 8_000 }); // capped

    server.failWith = null;
    await vi.advanceTimersByTimeAsync(8_000);
    expect(autosave.getState().status).toBe('saved');
    expect(server.content).toBe('one two');
    expect(saves.map((entry) => entry.content)).toContain('one');
  });

  it('keeps content it already read when the source stops answering', async () => {
    let isSourceUp = true;
    const ctx = setup({
      read: vi.fn(async () => {
        if (!isSourceUp) throw new Offline();
        return 'read once';
      }),
    });
    ctx.server.failWith = new Offline();
    ctx.autosave.markDirty();
    await vi.advanceTimersByTimeAsync(2_000);
    isSourceUp = false; // e.g. the iframe is gone; the read content must still reach the server
    ctx.server.failWith = null;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(ctx.server.content).toBe('read once');
    expect(ctx.autosave.hasUnsavedChanges()).toBe(false);
  });

  it('saves at once, as a keepalive request, when the page is hidden', async () => {
    const { autosave, saves, edit } = setup();
    edit('typed just now');
    await autosave.flush({ isUnloading: true });
    expect(saves).toEqual([{ content: 'typed just now', baseVersion: 1, isUnloading: true }]);
    expect(autosave.getState().status).toBe('saved');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(saves).toHaveLength(1); // the debounce timer was cancelled

    await autosave.flush({ isUnloading: true });
    expect(saves).toHaveLength(1); // nothing to save: no request
  });

  it('shows a fatal error and tries again on the next change', async () => {
    const { autosave, server, edit } = setup();
    server.failWith = new Error('too large');
    edit('huge');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(autosave.getState()).toEqual({ status: 'error', message: 'Error: too large' });
    server.failWith = null;
    edit('smaller');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(autosave.getState().status).toBe('saved');
    expect(server.content).toBe('smaller');
  });

  it('starts over after a reset (reloaded from the server)', async () => {
    const { autosave, saves, edit } = setup();
    edit('x');
    autosave.reset(9);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(saves).toHaveLength(0);
    expect(autosave.getState()).toEqual({ status: 'saved', savedAt: null });
    expect(autosave.getVersion()).toBe(9);
  });
});
