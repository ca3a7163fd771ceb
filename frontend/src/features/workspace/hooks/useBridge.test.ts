import { describe, expect, it } from 'vitest';
import { toNotebookContext } from './useBridge';

describe('the live context sent with a question', () => {
  it('names the active cell by its nbformat id, so the tutor can tie the turn to its exercise', () => {
    const context = toNotebookContext({
      path: 'hintbook/lesson.ipynb',
      activeCell: {
        index: 3,
        id: 'square',
        cellType: 'code',
        source: 'def square(x):\n    return x + x',
        executionCount: 2,
        outputs: [],
      },
      lastError: null,
      kernelStatus: 'idle',
      dirty: false,
    });
    expect(context).toEqual({
      activeCellId: 'square',
      activeCellSource: 'def square(x):\n    return x + x',
    });
  });

  it('sends no cell id when no cell is active', () => {
    const context = toNotebookContext({
      path: 'hintbook/lesson.ipynb',
      activeCell: null,
      lastError: null,
      kernelStatus: 'idle',
      dirty: false,
    });
    expect(context.activeCellId).toBeUndefined();
  });
});
