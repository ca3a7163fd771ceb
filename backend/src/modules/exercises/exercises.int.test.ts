import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMockProvider, type MockProvider } from '../../ai/providers/mock.js';
import { answerGuardTrips, exerciseAttempts, messages } from '../../db/schema/index.js';
import { registerAdmin, registerThroughApi, type SignedInUser } from '../../test/factories.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { connectClient } from '../../test/socket-client.js';
import { ADMIN_EMAIL, asUser } from '../../test/admin.js';
import { resolveTurnRules } from './turn-rules.js';

/** Distinctive enough that finding it anywhere a student can reach is a leak. */
const SOLUTION_BODY = [
  '    acc_total_zq = 0',
  '    for value_zq in numbers:',
  '        if value_zq % 2 == 0:',
  '            acc_total_zq += value_zq',
  '    return acc_total_zq',
];
const HIDDEN_TEST = 'assert sum_even_zq([1, 3, 5]) == 0, "hidden edge case"';
const VISIBLE_TEST = 'assert sum_even_zq([1, 2, 3, 4]) == 6';

const teacherNotebook = {
  nbformat: 4,
  nbformat_minor: 4,
  metadata: { kernelspec: { name: 'python', display_name: 'Python', language: 'python' } },
  cells: [
    { cell_type: 'markdown', metadata: {}, source: 'Write `sum_even_zq(numbers)`.' },
    {
      cell_type: 'code',
      metadata: { nbgrader: { solution: true, grade: false, grade_id: 'sum-even', locked: false } },
      source: [
        'def sum_even_zq(numbers):\n',
        '    ### BEGIN SOLUTION\n',
        ...SOLUTION_BODY.map((l) => `${l}\n`),
        '    ### END SOLUTION',
      ],
      outputs: [
        { output_type: 'stream', name: 'stdout', text: 'acc_total_zq printed by the teacher' },
      ],
      execution_count: 1,
    },
    {
      cell_type: 'code',
      metadata: {
        nbgrader: {
          solution: false,
          grade: true,
          grade_id: 'sum-even-tests',
          locked: true,
          points: 2,
        },
      },
      source: `${VISIBLE_TEST}\n### BEGIN HIDDEN TESTS\n${HIDDEN_TEST}\n### END HIDDEN TESTS`,
      outputs: [],
      execution_count: null,
    },
  ],
};

const zipOf = (files: Record<string, string>) =>
  Buffer.from(zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)]))));

function assertNoSolution(text: string, where: string) {
  for (const line of SOLUTION_BODY) expect(text, where).not.toContain(line.trim());
  expect(text, where).not.toContain('hidden edge case');
  expect(text, where).not.toContain('BEGIN SOLUTION');
}

let t: TestApp;
let baseUrl: string;
let model: MockProvider;
let admin: SignedInUser;
let student: SignedInUser;
let moduleId: string;
let notebookId: string;
let exerciseId: string;

beforeAll(async () => {
  model = createMockProvider({ name: 'anthropic' });
  t = await createTestApp(
    {
      LLM_PROVIDER: 'anthropic',
      ADMIN_EMAIL,
      CHAT_TURNS_PER_MINUTE: '100',
      SEED_STARTER_MODULE: 'false',
    },
    undefined,
    { ai: { factories: { anthropic: () => model }, sleep: async () => {} } },
  );
  baseUrl = await t.listen();
  admin = await registerAdmin(t, { email: ADMIN_EMAIL, username: 'teacher' });
  student = await registerThroughApi(t.app, { programmingLevel: 2 });
  const imported = await asUser(t, admin)
    .post('/api/admin/modules/import?slug=evens&title=Evens')
    .set('Content-Type', 'application/zip')
    .send(zipOf({ 'evens.ipynb': JSON.stringify(teacherNotebook) }))
    .expect(200);
  moduleId = imported.body.module.id;
  notebookId = imported.body.module.notebooks[0].id;
  await asUser(t, admin).post(`/api/admin/modules/${moduleId}/publish`).expect(200);
  const listed = await asUser(t, admin).get(`/api/admin/modules/${moduleId}/exercises`).expect(200);
  exerciseId = listed.body.exercises[0].id;
});
afterAll(() => t.close());
beforeEach(async () => {
  model.reset();
  await asUser(t, admin)
    .put(`/api/admin/modules/${moduleId}/ai-policy`)
    .send({ mode: 'on' })
    .expect(200);
});

const copyPath = () => `/api/modules/${moduleId}/notebooks/${notebookId}/copy`;

describe('an nbgrader notebook imported as a module', () => {
  it('shows the admin the exercise with its solution, tests and default settings', async () => {
    const { body } = await asUser(t, admin)
      .get(`/api/admin/modules/${moduleId}/exercises`)
      .expect(200);
    expect(body.exercises).toHaveLength(1);
    expect(body.exercises[0]).toMatchObject({
      gradeId: 'sum-even',
      prompt: 'Write `sum_even_zq(numbers)`.',
      visibleTests: VISIBLE_TEST,
      hiddenTests: HIDDEN_TEST,
      attemptsBeforeCodeHelp: 3,
      maxHintLevel: 5,
    });
    expect(body.exercises[0].referenceSolution).toContain('acc_total_zq += value_zq');
  });

  it('never gives a student the solution or hidden tests: copy, reset, download, module, exercises', async () => {
    const as = asUser(t, student);
    const copy = await as.get(copyPath()).expect(200);
    const reset = await as.post(`${copyPath()}/reset`).expect(200);
    const download = await as.get(`${copyPath()}/download`).expect(200);
    const modules = await as.get('/api/modules').expect(200);
    const module = await as.get(`/api/modules/${moduleId}`).expect(200);
    const exercises = await as
      .get(`/api/modules/${moduleId}/notebooks/${notebookId}/exercises`)
      .expect(200);
    const tests = await as.get(`/api/exercises/${exerciseId}/tests`).expect(200);
    for (const [where, text] of [
      ['copy', JSON.stringify(copy.body)],
      ['reset', JSON.stringify(reset.body)],
      ['download', download.text],
      ['modules', JSON.stringify(modules.body)],
      ['module', JSON.stringify(module.body)],
      ['exercises', JSON.stringify(exercises.body)],
    ] as const) {
      assertNoSolution(text, where);
    }
    expect(JSON.stringify(copy.body)).toContain('# YOUR CODE HERE');
    expect(JSON.stringify(copy.body)).toContain(VISIBLE_TEST.replace(/"/g, '\\"'));
    // The tests endpoint carries the hidden tests (that is its job) but never the solution.
    for (const line of SOLUTION_BODY) expect(JSON.stringify(tests.body)).not.toContain(line.trim());
    expect(tests.body).toMatchObject({
      visibleTests: VISIBLE_TEST,
      hiddenTests: HIDDEN_TEST,
      timeLimitMs: 10_000,
    });
    // The admin preview is what a student would get: the same stripped notebook.
    const preview = await asUser(t, admin)
      .get(`/api/admin/modules/${moduleId}/notebooks/${notebookId}/preview`)
      .expect(200);
    assertNoSolution(JSON.stringify(preview.body), 'preview');
  });

  it('keeps the solution when the stripped student version is uploaded back', async () => {
    const preview = await asUser(t, admin)
      .get(`/api/admin/modules/${moduleId}/notebooks/${notebookId}/preview`)
      .expect(200);
    await asUser(t, admin)
      .put(`/api/admin/modules/${moduleId}/notebooks/${notebookId}/content`)
      .send({ content: preview.body.notebook.content })
      .expect(200);
    const { body } = await asUser(t, admin)
      .get(`/api/admin/modules/${moduleId}/exercises`)
      .expect(200);
    expect(body.exercises[0].id).toBe(exerciseId);
    expect(body.exercises[0].hiddenTests).toBe(HIDDEN_TEST);
    expect(body.exercises[0].referenceSolution).toContain('acc_total_zq');
  });

  it('refuses markers that do not pair up, storing nothing', async () => {
    const broken = structuredClone(teacherNotebook);
    broken.cells[1]!.source = ['def f():\n', '    ### BEGIN SOLUTION\n', '    return 1\n'];
    const response = await asUser(t, admin)
      .post('/api/admin/modules/import?slug=broken')
      .set('Content-Type', 'application/zip')
      .send(zipOf({ 'broken.ipynb': JSON.stringify(broken) }))
      .expect(400);
    expect(response.body.error.code).toBe('exercises.markers_invalid');
    const modules = await asUser(t, admin).get('/api/admin/modules').expect(200);
    expect(modules.body.modules.map((m: { slug: string }) => m.slug)).not.toContain('broken');
  });

  it('lets the admin set the threshold and highest level, and audits it', async () => {
    const { body } = await asUser(t, admin)
      .patch(`/api/admin/modules/${moduleId}/exercises/${exerciseId}`)
      .send({ attemptsBeforeCodeHelp: 2, maxHintLevel: 4 })
      .expect(200);
    expect(body.exercise).toMatchObject({ attemptsBeforeCodeHelp: 2, maxHintLevel: 4 });
    await asUser(t, admin)
      .patch(`/api/admin/modules/${moduleId}/exercises/${exerciseId}`)
      .send({ maxHintLevel: 9 })
      .expect(400);
    const audit = await asUser(t, admin)
      .get('/api/admin/audit-log?action=exercise.update')
      .expect(200);
    expect(audit.body.entries[0]).toMatchObject({ targetId: exerciseId });
    await asUser(t, admin)
      .patch(`/api/admin/modules/${moduleId}/exercises/${exerciseId}`)
      .send({ attemptsBeforeCodeHelp: 3, maxHintLevel: 5 })
      .expect(200);
  });
});

describe('checks', () => {
  it('records every check append-only, and a pass completes the exercise and the notebook', async () => {
    const checker = await registerThroughApi(t.app);
    const as = asUser(t, checker);
    await as.get(copyPath()).expect(200);
    const check = (code: string, outcome: string) => {
      // Checks a second apart, so their order is the order they were made in.
      t.clock.advance(1_000);
      return as.post(`/api/exercises/${exerciseId}/attempts`).send({
        code,
        outcome,
        failingTest: outcome === 'passed' ? null : VISIBLE_TEST,
        message: outcome === 'passed' ? null : 'AssertionError',
        durationMs: 120,
      });
    };
    const failed = await check('def sum_even_zq(n):\n    return 0', 'failed').expect(201);
    expect(failed.body).toMatchObject({
      exercise: { status: 'tried', checks: 1 },
      notebookCompleted: false,
    });
    const passed = await check(
      'def sum_even_zq(n):\n    return sum(x for x in n if x % 2 == 0)',
      'passed',
    ).expect(201);
    expect(passed.body).toMatchObject({
      exercise: { status: 'passed', checks: 2 },
      notebookCompleted: true,
    });
    // A later failure does not undo the pass.
    await check('broken', 'error').expect(201);

    const rows = await t.database.db
      .select()
      .from(exerciseAttempts)
      .where(eq(exerciseAttempts.userId, checker.body.user.id));
    expect(rows.map((row) => row.outcome).sort()).toEqual(['error', 'failed', 'passed']);
    expect(rows.every((row) => /^[0-9a-f]{64}$/.test(row.codeHash))).toBe(true);
    expect(JSON.stringify(rows)).not.toContain('sum(x for x');
    // Operators see checks run and passed (Prometheus, issue 18).
    const counted = await t.hintbook.metrics.registry.getSingleMetricAsString(
      'hintbook_exercise_checks_total',
    );
    for (const outcome of ['passed', 'failed', 'error'])
      expect(counted).toContain(`hintbook_exercise_checks_total{outcome="${outcome}"} 1`);

    const modules = await as.get('/api/modules').expect(200);
    const notebook = modules.body.modules[0].notebooks[0];
    expect(notebook).toMatchObject({ status: 'completed', exercises: { total: 1, passed: 1 } });
    const stats = await asUser(t, admin)
      .get(`/api/admin/modules/${moduleId}/exercises`)
      .expect(200);
    expect(stats.body.stats[0]).toMatchObject({
      students: 1,
      studentsPassed: 1,
      medianAttemptsToPass: 2,
    });
    // The admin's page for the student says the same, notebook by notebook.
    const person = await asUser(t, admin)
      .get(`/api/admin/users/${checker.body.user.id}`)
      .expect(200);
    expect(person.body.progress).toEqual([
      expect.objectContaining({
        notebookId: notebook.id,
        status: 'completed',
        exercises: { total: 1, passed: 1 },
      }),
    ]);
  });

  it('answers 404 for an exercise of an unpublished module', async () => {
    await asUser(t, admin).post(`/api/admin/modules/${moduleId}/unpublish`).expect(200);
    await asUser(t, student).get(`/api/exercises/${exerciseId}/tests`).expect(404);
    await asUser(t, admin).post(`/api/admin/modules/${moduleId}/publish`).expect(200);
  });
});

describe('the tutor and exercises', () => {
  async function openWorkspaceChat(user: SignedInUser) {
    const copy = await asUser(t, user).get(copyPath()).expect(200);
    const cellId = copy.body.copy.content.cells[1].id as string;
    return { copyId: copy.body.copy.id as string, cellId };
  }

  async function ask(user: SignedInUser, payload: Record<string, unknown>) {
    const client = await connectClient(baseUrl, user.accessToken);
    const ack = (await client.socket
      .timeout(5_000)
      .emitWithAck('chat:send', { clientMessageId: randomUUID(), ...payload } as never)) as {
      ok: boolean;
      turnId: string;
      sessionId: string;
    };
    const terminal = await client.terminalOf(ack.turnId);
    const events = client.eventsOf(ack.turnId);
    client.close();
    return { ack, terminal, events };
  }

  it('gives the turn the exercise at the active cell with the student’s own checks of it', async () => {
    const checker = await registerThroughApi(t.app);
    const { copyId, cellId } = await openWorkspaceChat(checker);
    const check = (code: string, outcome: string) => {
      t.clock.advance(1_000);
      return asUser(t, checker)
        .post(`/api/exercises/${exerciseId}/attempts`)
        .send({ code, outcome, failingTest: null, message: null, durationMs: 80 })
        .expect(201);
    };
    await check('return 0', 'failed');
    await check('return 0', 'failed'); // the same code again: a repeat, not an attempt
    await check('return 1', 'error');
    // Another student's checks of the same exercise are not theirs.
    const { copyId: otherCopy } = await openWorkspaceChat(student);
    const rulesFor = (userId: string, copy: string, activeCellId: string) =>
      resolveTurnRules(t.database.db, {
        userId,
        session: { id: randomUUID(), scope: 'module_notebook', notebookId: copy },
        questionSeq: 1,
        notebookContext: { activeCellId },
        now: t.clock(),
      });

    const rules = await rulesFor(checker.body.user.id, copyId, cellId);
    expect(rules.exercise).toMatchObject({
      id: exerciseId,
      attemptsBeforeCodeHelp: 3,
      failedChecksWithChanges: 2,
      newFailedCheck: true,
    });
    expect(rules.exercise?.referenceSolution).toContain('acc_total_zq');
    // A cell that holds no exercise, or a copy that is not the student's: no exercise.
    expect((await rulesFor(checker.body.user.id, copyId, 'not-an-exercise')).exercise).toBeNull();
    expect((await rulesFor(checker.body.user.id, otherCopy, cellId)).exercise).toBeNull();
  });

  it('blocks an answer that copies the exercise reference solution below code-level help', async () => {
    const { copyId, cellId } = await openWorkspaceChat(student);
    // Four code lines (under the code-line limit) that are most of the reference: overlap trips.
    const reference = SOLUTION_BODY.slice(1).join('\n');
    model.enqueue({ structured: { unexpected: true } });
    model.setDefault({ text: `Try this approach:\n\n${reference}\n\nGood luck!`, tokenDelayMs: 1 });
    const { terminal, events } = await ask(student, {
      content: 'How do I start?',
      notebook: { kind: 'module_copy', id: copyId },
      context: { activeCellId: cellId, activeCellSource: 'def sum_even_zq(numbers):\n    pass' },
    });
    expect(terminal.name).toBe('chat:done');
    const shown = events
      .filter((e) => e.name === 'chat:delta')
      .map((e) => e.payload.text)
      .join('');
    for (const line of SOLUTION_BODY) expect(shown).not.toContain(line.trim());
    const trips = await t.database.db
      .select()
      .from(answerGuardTrips)
      .where(eq(answerGuardTrips.userId, student.body.user.id));
    expect(trips.map((trip) => trip.reason)).toContain('solution_overlap');
    expect(trips[0]?.hintLevel).toBe(2);
  });

  it('refuses every turn inside an exam window with the policy in plain words', async () => {
    const now = t.clock();
    const local = (d: Date) => d.toISOString().slice(0, 16);
    await asUser(t, admin)
      .put(`/api/admin/modules/${moduleId}/ai-policy`)
      .send({
        mode: 'on',
        windows: [
          {
            label: 'the exam',
            start: local(new Date(now.getTime() - 3_600_000)),
            end: local(new Date(now.getTime() + 3_600_000)),
            timeZone: 'UTC',
            mode: 'off',
          },
        ],
      })
      .expect(200);
    const { copyId } = await openWorkspaceChat(student);
    const inWorkspace = await ask(student, {
      content: 'Help me please',
      notebook: { kind: 'module_copy', id: copyId },
    });
    // A general chat too: an exam window switches the tutor off everywhere.
    const general = await ask(student, { content: 'Help me please' });
    for (const { terminal } of [inWorkspace, general]) {
      expect(terminal.name).toBe('chat:error');
      expect(terminal.payload).toMatchObject({ code: 'chat.policy_off', retryable: false });
      expect(terminal.payload.message).toContain(
        'The tutor is off for this module during the exam',
      );
    }
    expect(model.calls.filter((call) => call.kind === 'stream')).toHaveLength(0);
    const [stored] = await t.database.db
      .select()
      .from(messages)
      .where(eq(messages.id, general.ack.turnId));
    expect(stored).toMatchObject({ status: 'error', errorCode: 'chat.policy_off', content: '' });
    // The student sees it before typing.
    const modules = await asUser(t, student).get('/api/modules').expect(200);
    expect(modules.body.modules[0].aiPolicy.mode).toBe('off');
    const audit = await asUser(t, admin)
      .get('/api/admin/audit-log?action=module.ai_policy')
      .expect(200);
    const labels = audit.body.entries.map(
      (entry: { details: { after: { windows: Array<{ label: string }> } } }) =>
        entry.details.after.windows[0]?.label,
    );
    expect(labels).toContain('the exam');
  });

  it('switches the tutor off on the very next turn after an admin opens an exam window', async () => {
    // The turns keep a copy of the published policies: answered first, the copy says "on".
    const before = await ask(student, { content: 'Help me before the exam' });
    expect(before.terminal.name).toBe('chat:done');
    const now = t.clock();
    const local = (d: Date) => d.toISOString().slice(0, 16);
    await asUser(t, admin)
      .put(`/api/admin/modules/${moduleId}/ai-policy`)
      .send({
        mode: 'on',
        windows: [
          {
            label: 'the exam',
            start: local(new Date(now.getTime() - 3_600_000)),
            end: local(new Date(now.getTime() + 3_600_000)),
            timeZone: 'UTC',
            mode: 'off',
          },
        ],
      })
      .expect(200);
    const during = await ask(student, {
      content: 'Help me during the exam',
      sessionId: before.ack.sessionId,
    });
    expect(during.terminal.name).toBe('chat:error');
    expect(during.terminal.payload).toMatchObject({ code: 'chat.policy_off' });
  });

  it('caps the level in hints-only mode however much the student tried', async () => {
    await asUser(t, admin)
      .put(`/api/admin/modules/${moduleId}/ai-policy`)
      .send({ mode: 'hints_only', maxHintLevel: 1 })
      .expect(200);
    const { copyId } = await openWorkspaceChat(student);
    model.setDefault({ text: 'What does each number need to pass?', tokenDelayMs: 1 });
    const { events, terminal } = await ask(student, {
      content: 'I tried `return 0` and it says AssertionError',
      notebook: { kind: 'module_copy', id: copyId },
    });
    expect(terminal.name).toBe('chat:done');
    const meta = events.find((e) => e.name === 'chat:meta');
    expect(meta?.payload.hintCue).toMatch(/^a question to think about/);
    const [stored] = await t.database.db
      .select()
      .from(messages)
      .where(eq(messages.id, terminal.payload.messageId as string));
    expect(stored?.hintLevelProgramming).toBe(1);
  });
});
