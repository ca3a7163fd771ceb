import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignedInUser } from '../../test/factories.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { ADMIN_EMAIL, adminAndStudent } from '../../test/admin.js';
import { registerThroughApi } from '../../test/factories.js';
import {
  ask,
  createChat,
  createModuleWithNotebooks,
  getInsights,
  groupTexts,
  type GroupBody,
} from './question-insights.test-helpers.js';

const DAY_HOURS = 24;

describe('admin: what students ask, without embeddings', () => {
  let t: TestApp;
  let admin: SignedInUser;
  let loopsModule: string;
  let csvModule: string;
  const iso = (daysAgo: number) =>
    new Date(t.clock().getTime() - daysAgo * 86_400_000).toISOString();

  beforeAll(async () => {
    t = await createTestApp({ ADMIN_EMAIL });
    const people = await adminAndStudent(t);
    admin = people.admin;
    const ada = people.student.body.user.id;
    const bo = (await registerThroughApi(t.app)).body.user.id;
    const db = t.database.db;
    const first = await createModuleWithNotebooks(db);
    const second = await createModuleWithNotebooks(db);
    loopsModule = first.moduleId;
    csvModule = second.moduleId;
    const chat = async (userId: string, notebookId?: string) => ({
      userId,
      sessionId: await createChat(db, userId, notebookId),
    });
    const adaLoops = await chat(ada, first.notebookIds[0]);
    const boLoops = await chat(bo, first.notebookIds[1]);
    const adaCsv = await chat(ada, second.notebookIds[0]);
    const adaGeneral = await chat(ada);
    const boGeneral = await chat(bo);

    await ask(t, adaLoops, 'Why does my for loop never stop?', { hoursAgo: 2 });
    await ask(t, boLoops, 'How do I write a for loop over a list?', { hoursAgo: 3 });
    await ask(t, adaCsv, 'How do I read a CSV file?', { hoursAgo: 4 });
    await ask(t, boGeneral, 'for loop or while loop: which one?', { hoursAgo: 5 });
    await ask(t, boLoops, 'Can pandas read a CSV file with a header?', { hoursAgo: 6 });
    await ask(t, adaGeneral, 'What is recursion?', { hoursAgo: 7 });
    await ask(t, boLoops, 'Why does my for loop never stop?', { hoursAgo: 8 });

    // Not students' questions, or not in the default 30 days.
    const teacher = await chat(admin.body.user.id);
    await ask(t, teacher, 'How do I write a for loop? Testing the tutor.', { hoursAgo: 1 });
    await ask(t, adaLoops, 'for loop for loop', { hoursAgo: 1, replaced: true });
    await ask(t, adaGeneral, '   ', { hoursAgo: 1 });
    await ask(t, adaGeneral, 'What is a for loop?', { hoursAgo: 45 * DAY_HOURS });
  });
  afterAll(() => t.close());

  it('groups the last 30 days by shared keywords, largest group first', async () => {
    const res = await getInsights(t, admin).expect(200);
    expect(res.body).toMatchObject({
      from: iso(30),
      to: iso(0),
      module: null,
      method: 'keywords',
      fallback: 'not_configured',
      embeddingModel: null,
      questionsInRange: 7,
      questionsConsidered: 7,
      maxQuestions: 1000,
      questionsGrouped: 6,
    });
    expect(groupTexts(res.body)).toEqual([
      [
        'Why does my for loop never stop?',
        // The same words from another student are counted, not shown twice.
        'How do I write a for loop over a list?',
        'for loop or while loop: which one?',
      ],
      ['How do I read a CSV file?', 'Can pandas read a CSV file with a header?'],
    ]);
    const [loops, csv] = res.body.groups as GroupBody[];
    expect(loops).toMatchObject({ size: 4, students: 2, keywords: ['loop', 'never', 'stop'] });
    // The general-chat question belongs to no module.
    expect(loops!.modules).toEqual([expect.objectContaining({ id: loopsModule, questions: 3 })]);
    expect(csv).toMatchObject({ size: 2, students: 2, keywords: ['csv', 'file', 'read'] });
    expect(csv!.modules.map((module) => module.id).sort()).toEqual([loopsModule, csvModule].sort());
    expect(res.body.groups[0].lastAskedAt).toBe(iso(2 / DAY_HOURS));
  });

  it('leaves out admins’ questions, answers, replaced and blank questions', async () => {
    const res = await getInsights(t, admin).expect(200);
    const shown = JSON.stringify(res.body);
    expect(shown).not.toContain('Testing the tutor');
    expect(shown).not.toContain('What have you tried');
    expect(shown).not.toContain('for loop for loop');
    expect(res.body.questionsInRange).toBe(7);
  });

  it('takes the time range from `from` and `to`', async () => {
    const older = await getInsights(t, admin, `from=${iso(60)}&to=${iso(30)}`).expect(200);
    expect(older.body).toMatchObject({ questionsInRange: 1, questionsGrouped: 0, groups: [] });

    const wider = await getInsights(t, admin, `from=${iso(50)}`).expect(200);
    expect(wider.body.questionsInRange).toBe(8);
    expect(wider.body.groups[0]).toMatchObject({ size: 5 });
    expect(groupTexts(wider.body)[0]).toContain('What is a for loop?');
  });

  it('keeps to one module’s notebooks when asked', async () => {
    const loops = await getInsights(t, admin, `moduleId=${loopsModule}`).expect(200);
    expect(loops.body.module).toEqual({ id: loopsModule, title: expect.any(String) });
    expect(loops.body.questionsInRange).toBe(4);
    expect(groupTexts(loops.body)).toEqual([
      ['Why does my for loop never stop?', 'How do I write a for loop over a list?'],
    ]);
    expect(loops.body.groups[0]).toMatchObject({ size: 3, students: 2 });
    expect(loops.body.groups[0].representative.moduleId).toBe(loopsModule);

    const csv = await getInsights(t, admin, `moduleId=${csvModule}`).expect(200);
    expect(csv.body).toMatchObject({ questionsInRange: 1, groups: [] });
  });

  it('refuses malformed parameters with the standard error, and unknown modules with 404', async () => {
    for (const query of [
      'from=yesterday',
      `from=${iso(1)}&to=${iso(2)}`,
      'to=2026-13-01T00:00:00Z',
      'moduleId=loops',
    ]) {
      const res = await getInsights(t, admin, query).expect(400);
      expect(res.body.error).toMatchObject({ code: 'validation.failed' });
      expect(res.body.error.details.length).toBeGreaterThan(0);
    }
    const missing = await getInsights(t, admin, 'moduleId=00000000-0000-4000-8000-000000000009');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('modules.not_found');
  });
});
