import { describe, expect, it } from 'vitest';
import type { NotebookJSON } from '../../lib/jupyterlite-bridge';
import { notebookFingerprint } from './workspace-notebook';

/** A notebook as the server stores it: nbformat's lists of lines, keys in the file's order. */
const stored: NotebookJSON = {
  cells: [
    {
      cell_type: 'code',
      id: 'first',
      metadata: {},
      execution_count: null,
      outputs: [],
      source: ['fruits = ["apple"]\n', 'print(fruits[0])'],
    },
  ],
  metadata: {
    kernelspec: { display_name: 'Python (Pyodide)', language: 'python', name: 'python' },
    language_info: { name: 'python' },
  },
  nbformat: 4,
  nbformat_minor: 5,
};

/** The same notebook as JupyterLab gives it back once the kernel has started. */
const opened: NotebookJSON = {
  metadata: {
    kernelspec: { name: 'python', display_name: 'Python (Pyodide)', language: 'python' },
    language_info: {
      codemirror_mode: { name: 'python', version: 3 },
      file_extension: '.py',
      name: 'python',
      version: '3.8',
    },
  },
  nbformat_minor: 5,
  nbformat: 4,
  cells: [
    {
      id: 'first',
      cell_type: 'code',
      source: 'fruits = ["apple"]\nprint(fruits[0])',
      metadata: {},
      outputs: [],
      execution_count: null,
    },
  ],
};

describe('the notebook fingerprint autosave compares', () => {
  it('is the same for the stored file and JupyterLab’s form of it after the kernel started', () => {
    expect(notebookFingerprint(opened)).toBe(notebookFingerprint(stored));
    // Outputs too: stream text and MIME data as lists of lines or as one string.
    const ranStored = structuredClone(stored);
    ranStored.cells[0]!.outputs = [
      { output_type: 'stream', name: 'stdout', text: ['apple\n', 'pear\n'] },
      { output_type: 'display_data', metadata: {}, data: { 'text/html': ['<b>', 'x</b>'] } },
    ];
    const ranOpened = structuredClone(opened);
    ranOpened.cells[0]!.outputs = [
      { output_type: 'stream', name: 'stdout', text: 'apple\npear\n' },
      { output_type: 'display_data', metadata: {}, data: { 'text/html': '<b>x</b>' } },
    ];
    expect(notebookFingerprint(ranOpened)).toBe(notebookFingerprint(ranStored));
  });

  it('changes with an edit, an output or the kernelspec', () => {
    const edited = structuredClone(opened);
    edited.cells[0]!.source = 'fruits = ["apple"]\nprint(fruits[1])';
    const ran = structuredClone(opened);
    ran.cells[0]!.outputs = [{ output_type: 'stream', name: 'stdout', text: ['apple\n'] }];
    const otherKernel = structuredClone(opened);
    otherKernel.metadata.kernelspec = { name: 'python3' };
    // Lists that are not lines of one string stay lists: tags a and b are not the tag ab.
    const tagged = structuredClone(stored);
    tagged.cells[0]!.metadata = { tags: ['a', 'b'] };
    const retagged = structuredClone(opened);
    retagged.cells[0]!.metadata = { tags: ['ab'] };
    expect(notebookFingerprint(retagged)).not.toBe(notebookFingerprint(tagged));
    for (const changed of [edited, ran, otherKernel]) {
      expect(notebookFingerprint(changed)).not.toBe(notebookFingerprint(stored));
    }
  });
});
