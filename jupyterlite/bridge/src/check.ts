/**
 * `run-check`: runs an exercise's check program in the student's kernel against a cell's current
 * code. It talks to the kernel directly (not through a cell), so nothing is written into the
 * notebook: the tests never appear in it, and outputs and execution counts stay as they were.
 */
import type { NotebookPanel } from '@jupyterlab/notebook';
import { makeError } from './normalise';
import type { BridgeError, BridgeResults } from './protocol';
import { BridgeFailure } from './workspace';

/** Stdout beyond this is dropped from the start: the result line is printed last. */
const MAX_STDOUT_CHARS = 200_000;

/** Binds the student's code as a Python string; JSON string literals are valid Python literals. */
export function withStudentCode(code: string, program: string): string {
  return `__hintbook_code__ = ${JSON.stringify(code)}\n${program}`;
}

function sourceOf(value: unknown): string {
  return Array.isArray(value) ? value.map(String).join('') : typeof value === 'string' ? value : '';
}

export async function runCheck(
  panel: NotebookPanel,
  cellId: string,
  program: string,
  timeLimitMs: number,
): Promise<BridgeResults['run-check']> {
  if (typeof cellId !== 'string' || typeof program !== 'string' || !(timeLimitMs > 0)) {
    throw new BridgeFailure('bad-request', 'run-check needs a cellId, a program and a time limit');
  }
  const cell = panel.content.widgets.find((widget) => widget.model.id === cellId);
  if (!cell) {
    throw new BridgeFailure('not-found', `no cell with id ${cellId}`);
  }
  const code = sourceOf(cell.model.toJSON().source);
  const kernel = panel.sessionContext.session?.kernel;
  if (!kernel) {
    throw new BridgeFailure('internal', 'Python is not running yet');
  }

  const started = Date.now();
  let stdout = '';
  let error: BridgeError | null = null;
  const future = kernel.requestExecute({
    code: withStudentCode(code, program),
    silent: false,
    store_history: false,
    allow_stdin: false,
    stop_on_error: false,
  });
  future.onIOPub = (message) => {
    const content = message.content as Record<string, unknown>;
    if (message.header.msg_type === 'stream' && content.name === 'stdout') {
      stdout = (stdout + String(content.text)).slice(-MAX_STDOUT_CHARS);
    } else if (message.header.msg_type === 'error') {
      error = makeError(
        String(content.ename),
        String(content.evalue),
        (content.traceback as string[] | undefined) ?? [],
        null,
        cellId,
      );
    }
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = await Promise.race([
    future.done.then(
      () => false,
      () => false,
    ),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), timeLimitMs);
    }),
  ]);
  clearTimeout(timer);
  if (timedOut) {
    // An endless loop inside Pyodide does not answer an interrupt reliably; a restart always
    // stops it. The notebook is untouched, only the kernel's variables are gone.
    future.dispose();
    await kernel.restart();
  }
  return { code, stdout, error, timedOut, durationMs: Date.now() - started };
}
