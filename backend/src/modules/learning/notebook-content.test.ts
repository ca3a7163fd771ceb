import { describe, expect, it } from 'vitest';
import { notebookContentSchema } from '@hintbook/contracts';
import {
  blankNotebook,
  downloadFilename,
  parseNotebookFile,
  titleFromFilename,
} from './notebook-content.js';

describe('notebook files', () => {
  it('fills what nbformat requires but hand-written notebooks often omit', () => {
    const parsed = parseNotebookFile(
      JSON.stringify({
        nbformat: 4,
        nbformat_minor: 2,
        cells: [{ cell_type: 'code', source: ['x = 1'] }],
      }),
      10_000,
    );
    expect(parsed.metadata).toEqual({});
    expect(parsed.cells[0]).toMatchObject({ outputs: [], execution_count: null, metadata: {} });
  });

  it('starts blank notebooks that are themselves valid', () => {
    expect(notebookContentSchema.safeParse(blankNotebook()).success).toBe(true);
  });

  it('titles uploads after the file name, from any operating system', () => {
    expect(titleFromFilename('C:\\Users\\me\\Week 3.IPYNB')).toBe('Week 3');
    expect(titleFromFilename('/home/me/loops.ipynb')).toBe('loops');
    expect(titleFromFilename('.ipynb')).toBeUndefined();
    expect(titleFromFilename(undefined)).toBeUndefined();
  });

  it('makes download names safe for a Content-Disposition header', () => {
    expect(downloadFilename('Übung 1: "loops"/v2')).toBe('Übung 1_ _loops_v2.ipynb');
    expect(downloadFilename('../..')).toBe('notebook.ipynb');
  });
});
