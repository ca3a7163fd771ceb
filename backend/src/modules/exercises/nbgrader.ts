/**
 * nbgrader's notebook format, read on the server: which code cells are exercises, what their
 * reference solution and tests are, and the student's version of the notebook without them.
 *
 * Pure functions over nbformat 4 JSON. The format (https://nbgrader.readthedocs.io):
 * - a cell's `metadata.nbgrader` has `solution`, `grade`, `grade_id`, `locked` (and `points`,
 *   `checksum`, which we do not use);
 * - `### BEGIN SOLUTION` / `### END SOLUTION` mark the part of a solution cell the student
 *   writes; the student's version gets `# YOUR CODE HERE` and `raise NotImplementedError()`;
 * - `### BEGIN HIDDEN TESTS` / `### END HIDDEN TESTS` mark the tests the student does not see;
 *   the student's version has nothing there.
 * Markers count in any cell, with or without metadata, so a notebook written by hand works too.
 */
import type { NotebookContent } from '@hintbook/contracts';

type Cell = NotebookContent['cells'][number];

/** What the teacher's notebook says about one exercise (threshold and level are set by admins). */
export interface ParsedExercise {
  /** nbformat cell id of the exercise cell in the student's copy (added when missing). */
  cellId: string;
  /** nbgrader `grade_id`, else the cell id: stable across re-imports. */
  gradeId: string;
  position: number;
  /** The markdown directly above the exercise cell. */
  prompt: string;
  /** The cell as the student gets it. */
  starterCode: string;
  /** The cell with the solution in, markers removed; null when the cell had no markers. */
  referenceSolution: string | null;
  /** The test cells after the exercise, hidden parts removed. */
  visibleTests: string;
  /** The hidden parts of those test cells; null when there were none. */
  hiddenTests: string | null;
}

export interface PreparedNotebook {
  /** The notebook every student-facing path uses: no solution, no hidden tests. */
  studentContent: NotebookContent;
  exercises: ParsedExercise[];
}

export class MarkerError extends Error {
  constructor(
    readonly cellIndex: number,
    message: string,
  ) {
    super(message);
  }
}

interface NbgraderMetadata {
  solution?: boolean;
  grade?: boolean;
  grade_id?: string;
  locked?: boolean;
}

const BEGIN_SOLUTION = /^\s*#+\s*BEGIN SOLUTION\s*$/;
const END_SOLUTION = /^\s*#+\s*END SOLUTION\s*$/;
const BEGIN_HIDDEN = /^\s*#+\s*BEGIN HIDDEN TESTS\s*$/;
const END_HIDDEN = /^\s*#+\s*END HIDDEN TESTS\s*$/;
const CELL_ID = /^[a-zA-Z0-9-_]{1,64}$/;

export const sourceText = (source: string | string[]): string =>
  Array.isArray(source) ? source.join('') : source;

function nbgraderOf(cell: Cell): NbgraderMetadata {
  const meta = (cell.metadata as Record<string, unknown> | undefined)?.nbgrader;
  return meta && typeof meta === 'object' ? (meta as NbgraderMetadata) : {};
}

interface Regions {
  /** Lines outside the marked regions, each region replaced by `replacement(indent)`. */
  outside: string;
  /** Every line with only the marker lines removed. */
  whole: string;
  /** The lines inside the regions. */
  inside: string;
  found: boolean;
}

/** Splits a cell's text at one kind of marker pair; unbalanced markers are an error. */
function splitRegions(
  text: string,
  begin: RegExp,
  end: RegExp,
  replacement: (indent: string) => string[],
  cellIndex: number,
  what: string,
): Regions {
  const outside: string[] = [];
  const whole: string[] = [];
  const inside: string[] = [];
  let openAt: number | null = null;
  let found = false;
  for (const [lineNo, line] of text.split('\n').entries()) {
    if (begin.test(line)) {
      if (openAt !== null)
        throw new MarkerError(cellIndex, `${what} opened twice (line ${lineNo + 1})`);
      openAt = lineNo;
      found = true;
      outside.push(...replacement(/^\s*/.exec(line)![0]));
      continue;
    }
    if (end.test(line)) {
      if (openAt === null)
        throw new MarkerError(
          cellIndex,
          `${what} closed before it was opened (line ${lineNo + 1})`,
        );
      openAt = null;
      continue;
    }
    whole.push(line);
    (openAt === null ? outside : inside).push(line);
  }
  if (openAt !== null)
    throw new MarkerError(cellIndex, `${what} is never closed (line ${openAt + 1})`);
  return { outside: outside.join('\n'), whole: whole.join('\n'), inside: inside.join('\n'), found };
}

const codeStub = (indent: string) => [
  `${indent}# YOUR CODE HERE`,
  `${indent}raise NotImplementedError()`,
];
const answerStub = () => ['YOUR ANSWER HERE'];
const nothing = () => [];

function solutionRegions(cell: Cell, index: number): Regions {
  return splitRegions(
    sourceText(cell.source),
    BEGIN_SOLUTION,
    END_SOLUTION,
    cell.cell_type === 'code' ? codeStub : answerStub,
    index,
    'BEGIN SOLUTION',
  );
}

const hiddenRegions = (cell: Cell, index: number) =>
  splitRegions(
    sourceText(cell.source),
    BEGIN_HIDDEN,
    END_HIDDEN,
    nothing,
    index,
    'BEGIN HIDDEN TESTS',
  );

/** An exercise: a code cell marked as a solution, by metadata or by its markers. */
function isExerciseCell(cell: Cell, regions: Regions): boolean {
  return cell.cell_type === 'code' && (nbgraderOf(cell).solution === true || regions.found);
}

/** Tests: an autograded cell that is not itself a solution, or one with hidden tests. */
function isTestCell(cell: Cell, hidden: Regions): boolean {
  const meta = nbgraderOf(cell);
  return (
    cell.cell_type === 'code' && ((meta.grade === true && meta.solution !== true) || hidden.found)
  );
}

function uniqueId(wanted: string, taken: Set<string>): string {
  const base = wanted.replace(/[^a-zA-Z0-9-_]+/g, '-').slice(0, 56) || 'cell';
  let id = base;
  for (let n = 2; taken.has(id); n += 1) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

/**
 * The teacher's notebook → the student's notebook and the exercises in it. Throws `MarkerError`
 * on unbalanced markers: a half-stripped solution must never be stored.
 */
export function prepareNotebook(content: NotebookContent): PreparedNotebook {
  const taken = new Set(
    content.cells
      .map((cell) => (cell as { id?: unknown }).id)
      .filter((id): id is string => typeof id === 'string'),
  );
  const exercises: ParsedExercise[] = [];
  const cells: Cell[] = [];
  let needsIds = false;
  let current: ParsedExercise | null = null;
  let hiddenParts: string[] = [];
  let visibleParts: string[] = [];
  const closeExercise = () => {
    if (!current) return;
    current.visibleTests = visibleParts.join('\n\n');
    current.hiddenTests = hiddenParts.length > 0 ? hiddenParts.join('\n\n') : null;
    exercises.push(current);
    current = null;
  };

  for (const [index, cell] of content.cells.entries()) {
    const solution = solutionRegions(cell, index);
    const hidden = hiddenRegions({ ...cell, source: solution.outside }, index);
    const student: Cell = { ...cell, source: hidden.outside };
    const meta = nbgraderOf(cell);
    if (Object.keys(meta).length > 0) {
      // nbgrader's checksum is of the teacher's cell: meaningless (and a hint) in the copy.
      const { checksum: _checksum, ...kept } = meta as NbgraderMetadata & { checksum?: unknown };
      student.metadata = { ...cell.metadata, nbgrader: kept };
    }
    if (isExerciseCell(cell, solution)) {
      closeExercise();
      const rawId = (cell as { id?: unknown }).id;
      let cellId = typeof rawId === 'string' && CELL_ID.test(rawId) ? rawId : null;
      if (!cellId) {
        cellId = uniqueId(meta.grade_id ?? `exercise-${exercises.length + 1}`, taken);
        needsIds = true;
      }
      (student as { id?: string }).id = cellId;
      const gradeId = meta.grade_id?.trim() || cellId;
      if (
        exercises.some((exercise) => exercise.gradeId === gradeId) ||
        (current as ParsedExercise | null)?.gradeId === gradeId
      )
        throw new MarkerError(index, `grade_id "${gradeId}" is used by two exercises`);
      const previous = content.cells[index - 1];
      current = {
        cellId,
        gradeId,
        position: exercises.length,
        prompt: previous?.cell_type === 'markdown' ? sourceText(previous.source).trim() : '',
        starterCode: hidden.outside,
        referenceSolution: solution.found ? solution.whole : null,
        visibleTests: '',
        hiddenTests: null,
      };
      hiddenParts = [];
      visibleParts = [];
    } else if (isTestCell(cell, hidden) && current) {
      if (hidden.outside.trim()) visibleParts.push(hidden.outside.trim());
      if (hidden.found && hidden.inside.trim()) hiddenParts.push(hidden.inside.trim());
    }
    if (
      student.cell_type === 'code' &&
      (solution.found || hidden.found || isExerciseCell(cell, solution))
    ) {
      // Outputs of the teacher's run would show what the solution prints.
      student.outputs = [];
      student.execution_count = null;
    }
    cells.push(student);
  }
  closeExercise();

  const studentContent: NotebookContent = { ...content, cells };
  if (needsIds) {
    // nbformat 4.5 wants an id on every cell once any has one.
    studentContent.nbformat_minor = Math.max(content.nbformat_minor, 5);
    studentContent.cells = cells.map((cell, index) => {
      const id = (cell as { id?: unknown }).id;
      return typeof id === 'string' ? cell : { ...cell, id: uniqueId(`cell-${index}`, taken) };
    });
  }
  return { studentContent, exercises };
}
