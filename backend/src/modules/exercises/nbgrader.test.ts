import { describe, expect, it } from 'vitest';
import { notebookContentSchema, type NotebookContent } from '@hintbook/contracts';
import { MarkerError, prepareNotebook, sourceText } from './nbgrader.js';

const code = (source: string, nbgrader?: Record<string, unknown>, id?: string) => ({
  cell_type: 'code' as const,
  source,
  metadata: nbgrader ? { nbgrader } : {},
  outputs: [{ output_type: 'stream', name: 'stdout', text: 'teacher output' }],
  execution_count: 3,
  ...(id ? { id } : {}),
});
const markdown = (source: string) => ({ cell_type: 'markdown' as const, source, metadata: {} });

function notebook(cells: unknown[], minor = 4): NotebookContent {
  return notebookContentSchema.parse({ nbformat: 4, nbformat_minor: minor, metadata: {}, cells });
}

const SOLUTION_CELL = [
  'def square(n):',
  '    """Return n times n."""',
  '    ### BEGIN SOLUTION',
  '    return n * n',
  '    ### END SOLUTION',
].join('\n');

const TEST_CELL = [
  'assert square(3) == 9',
  '### BEGIN HIDDEN TESTS',
  'assert square(-4) == 16',
  '### END HIDDEN TESTS',
  'print("ok")',
].join('\n');

const nbgraderNotebook = () =>
  notebook([
    markdown('Write `square(n)`.'),
    code(SOLUTION_CELL, {
      solution: true,
      grade: false,
      grade_id: 'square',
      locked: false,
      checksum: 'abc',
    }),
    code(TEST_CELL, {
      solution: false,
      grade: true,
      grade_id: 'square-tests',
      locked: true,
      points: 1,
    }),
    markdown('The end.'),
  ]);

describe('nbgrader notebooks', () => {
  it('replaces the solution region with the nbgrader stub, keeping its indentation', () => {
    const { studentContent } = prepareNotebook(nbgraderNotebook());
    expect(sourceText(studentContent.cells[1]!.source)).toBe(
      'def square(n):\n    """Return n times n."""\n    # YOUR CODE HERE\n    raise NotImplementedError()',
    );
  });

  it('removes hidden tests from the student copy but keeps the visible ones', () => {
    const { studentContent } = prepareNotebook(nbgraderNotebook());
    const tests = sourceText(studentContent.cells[2]!.source);
    expect(tests).toBe('assert square(3) == 9\nprint("ok")');
    expect(JSON.stringify(studentContent)).not.toContain('square(-4)');
    expect(JSON.stringify(studentContent)).not.toContain('return n * n');
  });

  it('reads the exercise: prompt above, starter, reference solution, visible and hidden tests', () => {
    const [exercise, ...rest] = prepareNotebook(nbgraderNotebook()).exercises;
    expect(rest).toHaveLength(0);
    expect(exercise).toMatchObject({
      gradeId: 'square',
      position: 0,
      prompt: 'Write `square(n)`.',
      referenceSolution: 'def square(n):\n    """Return n times n."""\n    return n * n',
      visibleTests: 'assert square(3) == 9\nprint("ok")',
      hiddenTests: 'assert square(-4) == 16',
    });
    expect(exercise!.starterCode).toContain('# YOUR CODE HERE');
  });

  it('keeps the nbgrader metadata except the checksum of the teacher cell', () => {
    const { studentContent } = prepareNotebook(nbgraderNotebook());
    expect(studentContent.cells[1]!.metadata).toEqual({
      nbgrader: { solution: true, grade: false, grade_id: 'square', locked: false },
    });
  });

  it('clears the teacher outputs of exercise and test cells only', () => {
    const { studentContent } = prepareNotebook(
      notebook([code('print(1)'), code(SOLUTION_CELL, { solution: true, grade_id: 'sq' })]),
    );
    expect(studentContent.cells[0]).toMatchObject({ execution_count: 3 });
    expect(studentContent.cells[1]).toMatchObject({ outputs: [], execution_count: null });
  });

  it('gives exercise cells a stable id from the grade id when the notebook has none', () => {
    const { studentContent, exercises } = prepareNotebook(nbgraderNotebook());
    expect(exercises[0]!.cellId).toBe('square');
    expect(studentContent.nbformat_minor).toBe(5);
    const ids = studentContent.cells.map((cell) => (cell as { id?: string }).id);
    expect(ids[1]).toBe('square');
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps an existing cell id', () => {
    const { exercises } = prepareNotebook(
      notebook([code(SOLUTION_CELL, { solution: true, grade_id: 'sq' }, 'abc123')], 5),
    );
    expect(exercises[0]).toMatchObject({ cellId: 'abc123', gradeId: 'sq' });
  });

  it('finds exercises by their markers when a notebook has no nbgrader metadata', () => {
    const { exercises, studentContent } = prepareNotebook(
      notebook([code(SOLUTION_CELL), code(TEST_CELL)]),
    );
    expect(exercises).toHaveLength(1);
    expect(exercises[0]!.hiddenTests).toBe('assert square(-4) == 16');
    expect(JSON.stringify(studentContent)).not.toContain('n * n');
  });

  it('treats a cell marked solution without markers as an exercise with no reference', () => {
    const { exercises } = prepareNotebook(
      notebook([code('# write it here', { solution: true, grade_id: 'free' })]),
    );
    expect(exercises[0]).toMatchObject({
      gradeId: 'free',
      referenceSolution: null,
      hiddenTests: null,
    });
  });

  it('attaches each test cell to the exercise before it', () => {
    const { exercises } = prepareNotebook(
      notebook([
        code('x = 1', { solution: true, grade_id: 'a' }),
        code('assert x == 1', { grade: true, solution: false, grade_id: 'a-t' }),
        code('y = 2', { solution: true, grade_id: 'b' }),
        code('assert y == 2', { grade: true, solution: false, grade_id: 'b-t' }),
      ]),
    );
    expect(exercises.map((e) => [e.gradeId, e.visibleTests])).toEqual([
      ['a', 'assert x == 1'],
      ['b', 'assert y == 2'],
    ]);
  });

  it('replaces written answers in markdown cells too', () => {
    const { studentContent } = prepareNotebook(
      notebook([markdown('Why?\n### BEGIN SOLUTION\nBecause.\n### END SOLUTION')]),
    );
    expect(sourceText(studentContent.cells[0]!.source)).toBe('Why?\nYOUR ANSWER HERE');
  });

  it.each([
    ['a solution that is never closed', '### BEGIN SOLUTION\nx = 1'],
    ['an end before a begin', 'x = 1\n### END SOLUTION'],
    ['a solution opened twice', '### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION'],
    ['hidden tests never closed', '### BEGIN HIDDEN TESTS\nassert 1'],
  ])('refuses %s rather than store half a solution', (_name, source) => {
    expect(() => prepareNotebook(notebook([markdown('x'), code(source)]))).toThrow(MarkerError);
  });

  it('leaves a notebook without exercises as it was', () => {
    const plain = notebook([markdown('# Hi'), code('print(1)')]);
    const { studentContent, exercises } = prepareNotebook(plain);
    expect(exercises).toEqual([]);
    expect(studentContent).toEqual(plain);
  });
});
