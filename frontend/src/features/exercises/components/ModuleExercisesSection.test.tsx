import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import type { ModuleExercisesResponse } from '@hintbook/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { errorResponse, jsonResponse } from '../../../test/fetch-mock';
import { stubFetch } from '../../../test/render-app';
import { ModuleExercisesSection } from './ModuleExercisesSection';

const MODULE_ID = '00000000-0000-4000-8000-000000000001';
const NOTEBOOK_ID = '00000000-0000-4000-8000-000000000002';
const SQUARE_ID = '00000000-0000-4000-8000-000000000003';
const EVEN_ID = '00000000-0000-4000-8000-000000000004';
const STUDENT_ID = '00000000-0000-4000-8000-000000000005';
const GET = `GET /api/admin/modules/${MODULE_ID}/exercises`;
const PATCH = `PATCH /api/admin/modules/${MODULE_ID}/exercises/${SQUARE_ID}`;
const PUT = `PUT /api/admin/modules/${MODULE_ID}/ai-policy`;

function exercise(id: string, gradeId: string, prompt: string) {
  return {
    id,
    notebookId: NOTEBOOK_ID,
    gradeId,
    cellId: gradeId,
    position: 1,
    prompt,
    starterCode: '# YOUR CODE HERE',
    referenceSolution: 'def square(x):\n    return x * x',
    visibleTests: 'assert square(3) == 9',
    hiddenTests: 'assert square(-2) == 4',
    attemptsBeforeCodeHelp: 3,
    maxHintLevel: 5,
  };
}

function moduleExercises(): ModuleExercisesResponse {
  return {
    exercises: [
      exercise(SQUARE_ID, 'square', '## Square a number'),
      exercise(EVEN_ID, 'is_even', 'Is it even?'),
    ],
    stats: [
      {
        exerciseId: SQUARE_ID,
        notebookId: NOTEBOOK_ID,
        gradeId: 'square',
        attempts: 7,
        students: 4,
        studentsPassed: 3,
        passRate: 0.75,
        medianAttemptsToPass: 2,
        highestHelpLevel: 3,
        guardTrips: 1,
      },
    ],
    stuck: [
      {
        userId: STUDENT_ID,
        username: 'ada',
        exerciseId: SQUARE_ID,
        gradeId: 'square',
        failedChecks: 4,
        lastCheckAt: '2026-06-12T09:20:00.000Z',
      },
    ],
    policy: { mode: 'on', maxHintLevel: 3, windows: [] },
    policyNow: {
      mode: 'on',
      maxHintLevel: null,
      text: 'The tutor is on for this module.',
      until: null,
    },
  };
}

async function renderSection(data = moduleExercises()) {
  const mock = stubFetch();
  mock.on(GET, jsonResponse(200, data));
  render(
    <MemoryRouter>
      <ModuleExercisesSection moduleId={MODULE_ID} />
    </MemoryRouter>,
  );
  await screen.findByRole('heading', { name: 'Exercises' });
  return { mock, user: userEvent.setup() };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the exercises of a module (admin)', () => {
  it('shows each exercise with the class results, and a dash where nobody tried', async () => {
    await renderSection();
    const rows = screen.getAllByRole('row');
    const square = within(rows[1]!);
    expect(square.getByRole('rowheader').textContent).toBe('squareSquare a number');
    expect(square.getByText('7')).toBeTruthy();
    expect(square.getByText('3 of 4 students')).toBeTruthy();
    expect(square.getByText('75%')).toBeTruthy();
    expect(square.getByText('an outline')).toBeTruthy();
    const even = within(rows[2]!);
    expect(even.getByText('nobody tried yet')).toBeTruthy();
    expect(even.getByText('0 of 0 students')).toBeTruthy();
  });

  it('saves a new threshold and highest help for one exercise', async () => {
    const { mock, user } = await renderSection();
    mock.on(
      PATCH,
      jsonResponse(200, {
        exercise: {
          ...exercise(SQUARE_ID, 'square', '## Square a number'),
          attemptsBeforeCodeHelp: 5,
          maxHintLevel: 3,
        },
      }),
    );
    const threshold = screen.getByLabelText('Failed checks before code help (square)');
    await user.clear(threshold);
    await user.type(threshold, '5');
    await user.selectOptions(screen.getByLabelText('Highest help (square)'), '3');
    await user.click(screen.getByRole('button', { name: 'Save square' }));

    expect(await screen.findByText('Saved.')).toBeTruthy();
    expect(mock.requestsTo(PATCH)[0]!.body).toEqual({ attemptsBeforeCodeHelp: 5, maxHintLevel: 3 });
  });

  it('shows the server refusing a threshold in its own words', async () => {
    const { mock, user } = await renderSection();
    mock.on(PATCH, errorResponse(400, 'validation.failed', 'The threshold must be at most 20.'));
    await user.click(screen.getByRole('button', { name: 'Save square' }));
    expect(await screen.findByText('The threshold must be at most 20.')).toBeTruthy();
  });

  it('lists the students who are stuck with a link to each', async () => {
    await renderSection();
    const list = screen.getByRole('list', { name: 'Students who are stuck' });
    expect(within(list).getByRole('link', { name: 'ada' }).getAttribute('href')).toBe(
      `/admin/people/${STUDENT_ID}`,
    );
    expect(list.textContent).toContain('4 failed checks on square');
  });
});

describe('the module AI policy editor', () => {
  it('adds an exam window with its time zone, says it in plain words and saves it', async () => {
    const { mock, user } = await renderSection();
    expect(screen.getByText('The tutor is on for this module.')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Add a time window' }));
    const start = screen.getByLabelText('Start of window 1');
    await user.clear(start);
    await user.type(start, '2026-06-12T09:00');
    const end = screen.getByLabelText('End of window 1');
    await user.clear(end);
    await user.type(end, '2026-06-12T11:00');
    const zone = screen.getByLabelText('Time zone of window 1');
    await user.clear(zone);
    await user.type(zone, 'Europe/Berlin');

    const words = screen.getByRole('group', { name: 'The policy in plain words' });
    expect(
      within(words)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual([
      'Normally the tutor is on.',
      'Exam, 2026-06-12 09:00 to 2026-06-12 11:00 (Europe/Berlin): the tutor is off.',
    ]);

    const saved = {
      mode: 'on',
      maxHintLevel: 3,
      windows: [
        {
          label: 'Exam',
          start: '2026-06-12T09:00',
          end: '2026-06-12T11:00',
          timeZone: 'Europe/Berlin',
          mode: 'off',
          maxHintLevel: 2,
        },
      ],
    };
    mock.on(
      PUT,
      jsonResponse(200, {
        policy: saved,
        policyNow: {
          mode: 'on',
          maxHintLevel: null,
          text: 'The tutor is on for this module.',
          until: null,
        },
      }),
    );
    await user.click(screen.getByRole('button', { name: 'Save AI policy' }));

    expect(await screen.findByText(/Saved\. Students see the new policy/)).toBeTruthy();
    expect(mock.requestsTo(PUT)[0]!.body).toEqual(saved);
  });

  it('asks for the highest help only when the tutor gives hints only', async () => {
    const { user } = await renderSection();
    expect(screen.queryByLabelText('Highest help')).toBeNull();
    await user.selectOptions(screen.getByLabelText('Tutor'), 'hints_only');
    await user.selectOptions(screen.getByLabelText('Highest help'), '2');
    const words = screen.getByRole('group', { name: 'The policy in plain words' });
    expect(words.textContent).toContain('Normally hints only, up to a pointer.');
  });
});
