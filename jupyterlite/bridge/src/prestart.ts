/**
 * Starts the Python kernel while JupyterLite is still loading, and hands it to the notebook the
 * SPA opens.
 *
 * JupyterLite starts a kernel only when a notebook opens, and the SPA can open one only once the
 * app is up: on a warm load that is 2-3 s after navigation, and the kernel's own start (Pyodide,
 * its packages, IPython) takes as long again. The SPA always opens its notebooks in one folder
 * (WORKSPACE_NOTEBOOK_FOLDER), so the kernel's working folder is known from the start: a session
 * is started there under a placeholder path at plugin activation, and `open-notebook` renames it
 * to the notebook's path before the notebook opens. JupyterLab's session context then finds a
 * running session at that path and connects to it instead of starting a second kernel
 * (SessionContext._initialize). A notebook in another folder gets a kernel of its own, as
 * before, and the early one is shut down. Only the first notebook is served this way.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import { PageConfig, PathExt } from '@jupyterlab/coreutils';
import { WORKSPACE_NOTEBOOK_FOLDER } from './protocol';

/** How long `open-notebook` waits for the early kernel before it goes on without it. Starting
 * the session takes well under a second; a hang must not keep the notebook from opening. */
const HAND_OVER_WAIT_MS = 15_000;

/** Registers the `python` kernel: there is no kernel to start before it has activated. */
const KERNEL_PLUGIN = '@jupyterlite/pyodide-kernel-extension:kernel';

type Contents = JupyterFrontEnd['serviceManager']['contents'];
type SessionManager = JupyterFrontEnd['serviceManager']['sessions'];
type SessionConnection = Awaited<ReturnType<SessionManager['startNew']>>;

/**
 * Makes each folder (and its parents) if it is missing. JupyterLite 0.6's drive makes an
 * untitled *file* when asked to save a directory at a new path; a new untitled folder renamed
 * into place works on every version.
 */
export async function makeFolders(contents: Contents, folders: string[]): Promise<void> {
  const wanted = new Set<string>();
  for (const folder of folders) {
    const parts = folder.split('/').filter(Boolean);
    parts.forEach((_, i) => wanted.add(parts.slice(0, i + 1).join('/')));
  }
  for (const folder of [...wanted].sort((a, b) => a.length - b.length)) {
    const exists = await contents.get(folder, { content: false }).then(
      () => true,
      () => false,
    );
    if (exists) {
      continue;
    }
    const made = await contents.newUntitled({ path: PathExt.dirname(folder), type: 'directory' });
    await contents.rename(made.path, folder);
  }
}

/** Marks on the frame's clock, for bench/workspace-load.ts: when the early start began. */
function mark(name: string): void {
  try {
    performance.mark(name);
  } catch {
    // Only the bench reads them.
  }
}

export class KernelPrestart {
  private pending: Promise<SessionConnection | null> | null;
  /** The kernel's folder, made beside the start: the kernel changes into it only once Python
   * is up, seconds later. Settles (true when made) before the notebook opens. */
  private readonly folderMade: Promise<boolean>;
  private readonly contents: Contents;
  private readonly sessions: SessionManager;

  constructor(
    private readonly app: JupyterFrontEnd,
    readonly folder: string = WORKSPACE_NOTEBOOK_FOLDER,
  ) {
    mark('hintbook:prestart');
    this.contents = app.serviceManager.contents;
    this.sessions = app.serviceManager.sessions;
    this.folderMade = makeFolders(this.contents, [folder]).then(
      () => true,
      (error: unknown) => {
        console.warn("hintbook: the kernel's folder could not be made", error);
        return false;
      },
    );
    this.pending = this.start();
  }

  private async start(): Promise<SessionConnection | null> {
    try {
      // Activates it now if the app has not yet (a missing plugin throws: no early start).
      await Promise.all([this.app.activatePlugin(KERNEL_PLUGIN), this.sessions.ready]);
      // A path no notebook has (JupyterLite keeps no file for a session).
      const placeholder = PathExt.join(this.folder, '.hintbook-kernel.ipynb');
      mark('hintbook:kernel-session-asked');
      return await this.sessions.startNew({
        path: placeholder,
        name: placeholder,
        type: 'notebook',
        kernel: { name: PageConfig.getOption('defaultKernelName') || 'python' },
      });
    } catch (error) {
      // Only the head start is lost: the notebook starts its own kernel when it opens.
      console.warn('hintbook: the kernel could not be started early', error);
      return null;
    }
  }

  /**
   * Call before the notebook at `path` opens, and before anything else writes into the folder
   * (which may still be being made). The first call gives the early kernel to `path` if it is
   * in the kernel's folder, and shuts it down otherwise; later calls do nothing.
   */
  async handOver(path: string): Promise<void> {
    const pending = this.pending;
    this.pending = null;
    if (!pending) {
      return;
    }
    const late = Symbol('late');
    let timer: ReturnType<typeof setTimeout> | undefined;
    const settled = await Promise.race([
      Promise.all([pending, this.folderMade]),
      new Promise<typeof late>((resolve) => {
        timer = setTimeout(() => resolve(late), HAND_OVER_WAIT_MS);
      }),
    ]);
    clearTimeout(timer);
    if (settled === late) {
      console.warn('hintbook: the early kernel was too slow to start; the notebook starts its own');
      void pending.then((session) => session?.shutdown()).catch(() => undefined);
      return;
    }
    const [session, folderMade] = settled;
    if (!session) {
      return;
    }
    try {
      if (folderMade && PathExt.dirname(path) === this.folder) {
        await session.setPath(path);
        // Only this connection goes: the session and its kernel stay for the notebook.
        session.dispose();
      } else {
        await session.shutdown();
      }
    } catch (error) {
      console.warn('hintbook: the early kernel could not be handed over', error);
      await session.shutdown().catch(() => undefined);
    }
  }
}
