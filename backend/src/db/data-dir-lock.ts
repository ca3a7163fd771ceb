import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The embedded database's folder is opened by one process at a time. PGlite does not check:
 * a second process (the admin command run beside the server) wrote to the same files, the
 * server kept its own cached pages, never saw the change and could write over it. So the first
 * opener leaves `pglite.lock` with its pid in DATA_DIR, beside the database's `pglite/` folder
 * (not in it: initdb wants it empty); a second one is refused with the reason. A lock whose
 * process is gone (killed, crashed) is taken over.
 */
export class EmbeddedDatabaseInUse extends Error {
  constructor(
    readonly dataDir: string,
    readonly holderPid: number,
    readonly lockFile: string,
  ) {
    super(
      `The embedded database in ${dataDir} is open in another Hintbook process (pid ${holderPid}): ` +
        'stop it first, then run this again (one process at a time may open it). ' +
        `If no Hintbook process is running, delete ${lockFile}.`,
    );
    this.name = 'EmbeddedDatabaseInUse';
  }
}

interface LockHolder {
  pid: number;
  host: string;
}

// Opened more than once in this process (a restart of the database's thread, tests): counted,
// and the file goes with the last close.
const heldHere = new Map<string, number>();
let isExitHookSet = false;

/** Takes the lock of DATA_DIR `dataDir` for this process, or throws EmbeddedDatabaseInUse. */
export function lockDataDir(dataDir: string): { release(): void } {
  const lockFile = path.join(path.resolve(dataDir), 'pglite.lock');
  const count = heldHere.get(lockFile) ?? 0;
  if (count === 0) {
    acquire(dataDir, lockFile);
    // An exit without close (process.exit, a crash) still frees it; a kill leaves it stale.
    if (!isExitHookSet) process.on('exit', releaseAllHere);
    isExitHookSet = true;
  }
  heldHere.set(lockFile, count + 1);
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      const left = (heldHere.get(lockFile) ?? 1) - 1;
      if (left > 0) {
        heldHere.set(lockFile, left);
        return;
      }
      heldHere.delete(lockFile);
      removeIfOurs(lockFile);
    },
  };
}

function acquire(dataDir: string, lockFile: string) {
  mkdirSync(path.dirname(lockFile), { recursive: true });
  const mine = JSON.stringify({ pid: process.pid, host: os.hostname() } satisfies LockHolder);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      writeFileSync(lockFile, `${mine}\n`, { flag: 'wx' });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readHolder(lockFile);
    if (holder && isAlive(holder)) throw new EmbeddedDatabaseInUse(dataDir, holder.pid, lockFile);
    // Left by a process that is gone: take it over (once; a racing opener that wins keeps it).
    try {
      unlinkSync(lockFile);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  const holder = readHolder(lockFile);
  throw new EmbeddedDatabaseInUse(dataDir, holder?.pid ?? 0, lockFile);
}

function readHolder(lockFile: string): LockHolder | null {
  try {
    const parsed = JSON.parse(readFileSync(lockFile, 'utf8')) as Partial<LockHolder>;
    return typeof parsed.pid === 'number' && typeof parsed.host === 'string'
      ? { pid: parsed.pid, host: parsed.host }
      : null;
  } catch {
    // Unreadable or half-written by a process killed while writing it: nobody holds it.
    return null;
  }
}

/**
 * Whether the holder still runs: its pid exists and, where /proc says, is a Node process (after
 * a reboot the pid may belong to something else). Another host's lock is an earlier container
 * of the same volume (a recreated container has a new hostname): gone.
 */
function isAlive(holder: LockHolder): boolean {
  if (holder.host !== os.hostname()) return false;
  // This very pid wrote it in an earlier life (pid 1 of a restarted container).
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return readFileSync(`/proc/${holder.pid}/cmdline`, 'utf8').includes('node');
  } catch {
    return true; // no /proc (macOS, Windows): the pid exists
  }
}

function releaseAllHere() {
  for (const lockFile of heldHere.keys()) removeIfOurs(lockFile);
  heldHere.clear();
}

function removeIfOurs(lockFile: string) {
  const holder = readHolder(lockFile);
  if (holder?.pid !== process.pid || holder.host !== os.hostname()) return;
  try {
    unlinkSync(lockFile);
  } catch {
    // Already gone.
  }
}
