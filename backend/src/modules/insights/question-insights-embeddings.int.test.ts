import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { messages, questionEmbeddings, usageEvents } from '../../db/schema/index.js';
import {
  startFakeCohere,
  startFakeVoyage,
  type FakeServer,
  type RecordedCall,
} from '../../test/fake-providers/index.js';
import type { SignedInUser } from '../../test/factories.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { ADMIN_EMAIL, adminAndStudent } from '../../test/admin.js';
import { ask, createChat, getInsights, groupTexts } from './question-insights.test-helpers.js';

interface VendorCase {
  name: string;
  start: () => Promise<FakeServer>;
  env: (baseUrl: string) => Record<string, string>;
  model: string;
  textsOf: (call: RecordedCall) => string[];
}

const vendors: VendorCase[] = [
  {
    name: 'Cohere',
    start: () => startFakeCohere(),
    env: (baseUrl) => ({ COHERE_API_KEY: 'co-test', COHERE_BASE_URL: baseUrl }),
    model: 'embed-v4.0',
    textsOf: (call) => (call.body as { texts: string[] }).texts,
  },
  {
    name: 'Voyage',
    start: () => startFakeVoyage(),
    env: (baseUrl) => ({ VOYAGE_API_KEY: 'pa-test', VOYAGE_BASE_URL: baseUrl }),
    model: 'voyage-3.5',
    textsOf: (call) => (call.body as { input: string[] }).input,
  },
];

const QUESTIONS = [
  'How do I write a for loop in Python?',
  'What does IndexError list index out of range mean?',
  'how to write a for loop',
  'How can I read a CSV file with pandas?',
  'I get IndexError: list index out of range',
  'What is a for loop and how do I write one?',
  'read csv file pandas',
  'What is a dictionary?',
];

async function countRows(t: TestApp, where: ReturnType<typeof and>) {
  const [row] = await t.database.db.select({ n: count() }).from(usageEvents).where(where);
  return row!.n;
}

describe.each(vendors)('admin: what students ask, grouped with $name embeddings', (vendor) => {
  let fake: FakeServer;
  let t: TestApp;
  let admin: SignedInUser;
  let chat: { userId: string; sessionId: string };

  beforeAll(async () => {
    fake = await vendor.start();
    t = await createTestApp({ ADMIN_EMAIL, ...vendor.env(fake.baseUrl) });
    const people = await adminAndStudent(t);
    admin = people.admin;
    const userId = people.student.body.user.id;
    chat = { userId, sessionId: await createChat(t.database.db, userId) };
    for (const [index, question] of QUESTIONS.entries()) {
      await ask(t, chat, question, { hoursAgo: index + 2 });
    }
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });
  beforeEach(() => fake.reset());

  it('groups rephrasings by meaning, embedding the questions as queries through the SDK', async () => {
    const res = await getInsights(t, admin).expect(200);
    expect(res.body).toMatchObject({
      method: 'embeddings',
      fallback: null,
      embeddingModel: vendor.model,
      questionsConsidered: 8,
      questionsGrouped: 7,
    });
    expect(groupTexts(res.body)).toEqual([
      [
        'How do I write a for loop in Python?',
        'how to write a for loop',
        'What is a for loop and how do I write one?',
      ],
      [
        'What does IndexError list index out of range mean?',
        'I get IndexError: list index out of range',
      ],
      ['How can I read a CSV file with pandas?', 'read csv file pandas'],
    ]);
    expect(fake.calls).toHaveLength(1);
    expect([...vendor.textsOf(fake.calls[0]!)].sort()).toEqual([...QUESTIONS].sort());
    expect(JSON.stringify(fake.calls[0]!.body)).toMatch(/query/);
    const usage = await countRows(
      t,
      and(eq(usageEvents.purpose, 'embedding'), eq(usageEvents.outcome, 'ok')),
    );
    expect(usage).toBe(1);
  });

  it('reuses stored vectors: the next view asks the vendor only about new questions', async () => {
    await getInsights(t, admin).expect(200);
    expect(fake.calls).toHaveLength(0);

    await ask(t, chat, 'how do I write a for loop in python', { hoursAgo: 1 });
    const res = await getInsights(t, admin).expect(200);
    expect(fake.calls.map(vendor.textsOf)).toEqual([['how do I write a for loop in python']]);
    expect(res.body.groups[0]).toMatchObject({ size: 4 });
    const [stored] = await t.database.db.select({ n: count() }).from(questionEmbeddings);
    expect(stored!.n).toBe(9);
  });

  it('sends the vendor questions with emails and keys replaced by placeholders', async () => {
    const id = await ask(t, chat, 'mail ola@gmail.com my key sk-proj-abcdefghijklmnopqrstuvwx', {
      hoursAgo: 1,
    });
    await getInsights(t, admin).expect(200);
    expect(fake.calls.map(vendor.textsOf)).toEqual([['mail ⟦EMAIL_1⟧ my key ⟦SECRET_1⟧']]);
    // The tests below count the questions they were written with.
    await t.database.db.delete(messages).where(eq(messages.replyToId, id));
    await t.database.db.delete(messages).where(eq(messages.id, id));
  });

  it('falls back to keyword groups when the vendor keeps refusing (429), and says why', async () => {
    fake.setDefault({ error: { status: 429, retryAfter: '0' } });
    await ask(t, chat, 'What is a tuple?', { hoursAgo: 1 });
    const res = await getInsights(t, admin).expect(200);
    expect(res.body).toMatchObject({
      method: 'keywords',
      fallback: 'embedding_failed',
      embeddingModel: null,
      questionsConsidered: 10,
    });
    expect(res.body.groups.length).toBeGreaterThan(0);
    expect(fake.calls.length).toBeGreaterThan(1);
    const failures = await countRows(
      t,
      and(eq(usageEvents.purpose, 'embedding'), eq(usageEvents.errorKind, 'rate_limited')),
    );
    expect(failures).toBe(fake.calls.length);
  });

  it('falls back to keyword groups when the vendor answers with malformed vectors', async () => {
    fake.setDefault({ structured: { embeddings: 'not vectors', data: 7 } });
    const res = await getInsights(t, admin).expect(200);
    expect(res.body).toMatchObject({ method: 'keywords', fallback: 'embedding_failed' });
    expect(fake.calls.length).toBeGreaterThan(0);
  });

  it('embeds again under another model, and keeps the first model’s vectors apart', async () => {
    const other = await createTestApp(
      { ADMIN_EMAIL, ...vendor.env(fake.baseUrl), EMBEDDING_MODEL: 'other-model' },
      { database: t.database },
    );
    try {
      const res = await getInsights(other, admin).expect(200);
      expect(res.body).toMatchObject({ method: 'embeddings', embeddingModel: 'other-model' });
      expect(fake.calls.flatMap(vendor.textsOf)).toHaveLength(10);
    } finally {
      await other.close();
    }
  });
});

describe('admin: what students ask, when embedding fails half-way', () => {
  let fake: FakeServer;
  let t: TestApp;
  let admin: SignedInUser;
  beforeAll(async () => {
    fake = await startFakeCohere();
    t = await createTestApp({
      ADMIN_EMAIL,
      COHERE_API_KEY: 'co-test',
      COHERE_BASE_URL: fake.baseUrl,
    });
    const people = await adminAndStudent(t);
    admin = people.admin;
    const userId = people.student.body.user.id;
    const chat = { userId, sessionId: await createChat(t.database.db, userId) };
    // More than one Cohere batch (96 texts).
    for (let index = 0; index < 100; index += 1) {
      await ask(t, chat, `Question ${index}: what does function number ${index} return?`, {
        hoursAgo: 1 + index / 100,
      });
    }
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  it('keeps the batches that were embedded and asks only for the rest next time', async () => {
    fake.enqueue({});
    fake.setDefault({ error: { status: 401, message: 'invalid api token' } });
    const failed = await getInsights(t, admin).expect(200);
    expect(failed.body).toMatchObject({ method: 'keywords', fallback: 'embedding_failed' });
    expect(fake.calls.map((call) => (call.body as { texts: string[] }).texts.length)).toEqual([
      96, 4,
    ]);

    fake.reset();
    const res = await getInsights(t, admin).expect(200);
    expect(res.body.method).toBe('embeddings');
    expect(fake.calls.map((call) => (call.body as { texts: string[] }).texts.length)).toEqual([4]);
  });
});
