/** Turn JupyterLab cells, outputs and kernel errors into the bridge's plain shapes. */
import type { BridgeCell, BridgeError, BridgeOutput } from './protocol';

// ESC/CSI sequences (colours, cursor moves) and OSC sequences ending in BEL or ST.
const ANSI_PATTERN =
  // eslint-disable-next-line no-control-regex
  /[\u001b\u009b](?:\][^\u0007\u001b]*(?:\u0007|\u001b\\)|[[\]()#;?]*(?:\d{1,4}(?:[;:]\d{0,4})*)?[\dA-PR-TZcf-nq-uy=><~])/g;

export const DEFAULT_MAX_OUTPUT_CHARS = 4000;

export function stripAnsi(text: string): string {
  return text.replace(ANSI_PATTERN, '');
}

/** `<class 'IndexError'>` (what the Pyodide kernel sends) becomes `IndexError`. */
export function normaliseEname(ename: string): string {
  const match = /<class '([^']+)'>/.exec(ename);
  const name = match ? match[1] : ename;
  // Builtins are reported bare, others as `module.Name`: keep what Python itself prints.
  return name.startsWith('builtins.') ? name.slice('builtins.'.length) : name;
}

/** Keep the end of long text: tracebacks and results are at the bottom. */
export function clip(text: string, maxChars: number): string {
  if (text.length <= maxChars) {
    return text;
  }
  const kept = text.slice(text.length - maxChars);
  return `[… ${text.length - maxChars} characters cut …]\n${kept}`;
}

function joinText(value: unknown): string {
  if (Array.isArray(value)) {
    return value.map(String).join('');
  }
  return typeof value === 'string' ? value : '';
}

export function makeError(
  ename: string,
  evalue: string,
  traceback: readonly string[] | string,
  cellIndex: number | null,
  cellId: string | null,
): BridgeError {
  const lines = typeof traceback === 'string' ? [traceback] : traceback;
  return {
    ename: normaliseEname(stripAnsi(ename)),
    evalue: stripAnsi(evalue),
    traceback: stripAnsi(lines.join('\n')),
    cellIndex,
    cellId,
  };
}

/** One nbformat output as the bridge reports it. */
export function toBridgeOutput(output: Record<string, unknown>, maxChars: number): BridgeOutput {
  const outputType = String(output.output_type);
  if (outputType === 'stream') {
    return {
      type: 'stream',
      name: output.name === 'stderr' ? 'stderr' : 'stdout',
      text: clip(stripAnsi(joinText(output.text)), maxChars),
    };
  }
  if (outputType === 'error') {
    const error = makeError(
      String(output.ename ?? ''),
      String(output.evalue ?? ''),
      Array.isArray(output.traceback) ? output.traceback.map(String) : [],
      null,
      null,
    );
    return {
      type: 'error',
      ename: error.ename,
      evalue: error.evalue,
      traceback: clip(error.traceback, maxChars),
    };
  }
  const data = (output.data ?? {}) as Record<string, unknown>;
  const plain = data['text/plain'];
  const description = imageDescription(data, (output.metadata ?? {}) as Record<string, unknown>);
  return {
    type: outputType === 'execute_result' ? 'execute_result' : 'display_data',
    text: description ?? (plain === undefined ? null : clip(stripAnsi(joinText(plain)), maxChars)),
    mimeTypes: Object.keys(data),
  };
}

/**
 * An image output in words: the kernel's description of a matplotlib figure
 * (`hintbook_description`, set by jupyterlite/python/hintbook_workspace), else its text form.
 * The image itself (base64) never leaves the notebook.
 */
function imageDescription(
  data: Record<string, unknown>,
  metadata: Record<string, unknown>,
): string | null {
  const image = Object.keys(data).find((type) => type.startsWith('image/'));
  if (!image) {
    return null;
  }
  const described = metadata.hintbook_description;
  if (typeof described === 'string' && described) {
    return `[${image}] ${described}`;
  }
  const plain = joinText(data['text/plain']);
  return plain ? `[${image}] ${stripAnsi(plain)}` : `[${image}]`;
}

/** A cell's nbformat JSON (from `cell.model.toJSON()`) as the bridge reports it. */
export function toBridgeCell(
  json: Record<string, unknown>,
  index: number,
  maxChars: number,
): BridgeCell {
  const cellType =
    json.cell_type === 'markdown' || json.cell_type === 'raw' ? json.cell_type : 'code';
  const outputs = Array.isArray(json.outputs) ? (json.outputs as Record<string, unknown>[]) : [];
  const count = json.execution_count;
  return {
    index,
    id: typeof json.id === 'string' ? json.id : null,
    cellType,
    source: joinText(json.source),
    executionCount: typeof count === 'number' ? count : null,
    outputs: outputs.map((output) => toBridgeOutput(output, maxChars)),
  };
}

/** The error output of a cell, if it has one. */
export function errorOfCell(cell: BridgeCell): BridgeError | null {
  for (const output of cell.outputs) {
    if (output.type === 'error') {
      return {
        ename: output.ename,
        evalue: output.evalue,
        traceback: output.traceback,
        cellIndex: cell.index,
        cellId: cell.id,
      };
    }
  }
  return null;
}
