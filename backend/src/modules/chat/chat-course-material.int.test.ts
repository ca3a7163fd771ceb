import { randomUUID } from 'node:crypto';
import type { ChatMetaEvent, MaterialSource, NotebookContent } from '@hintbook/contracts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMockProvider } from '../../ai/providers/mock.js';
import { startFakeVoyage, type FakeServer } from '../../test/fake-providers/index.js';
import { registerAdmin, registerThroughApi, type SignedInUser } from '../../test/factories.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { connectClient } from '../../test/socket-client.js';
import { ADMIN_EMAIL, asUser } from '../../test/admin.js';
import { findModuleBySlug } from '../learning/modules.repository.js';
import { seedModule } from '../learning/starter-module.js';
import { findEmbeddingColumnDimensions } from '../retrieval/retrieval.repository.js';
import { notebookExercises } from '../exercises/notebook-exercises.js';

const provider = createMockProvider({ name: 'anthropic' });
const CLASSIFICATION = {
  structured: {
    isNewProblem: true,
    isElaborationRequest: false,
    difficulty: { programming: 2, maths: 1 },
    problemSummary: 'a question',
  },
};

let t: TestApp;
let fake: FakeServer;
let student: SignedInUser;
let classmate: SignedInUser;
let admin: SignedInUser;
let loops: { moduleId: string; notebookId: string };
let hasVectors: boolean;

function notebookOf(...cells: Array<['markdown' | 'code', string]>): NotebookContent {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: cells.map(([cellType, source]) =>
      cellType === 'code'
        ? { cell_type: 'code', source, metadata: {}, outputs: [], execution_count: null }
        : { cell_type: 'markdown', source, metadata: {} },
    ),
  };
}

async function seedCourse(title: string, published: boolean, content: NotebookContent) {
  const slug = `course-${randomUUID().slice(0, 8)}`;
  await seedModule(
    t.database.db,
    {
      seedKey: `test:${slug}`,
      slug,
      title,
      description: '',
      position: 10,
      published,
      notebooks: [{ slug: 'nb', title: 'Lesson', description: '', content }],
      files: [],
    },
    () => new Date(),
    notebookExercises,
  );
  const moduleId = (await findModuleBySlug(t.database.db, slug))!.id;
  const module = await asUser(t, admin).get(`/api/modules/${moduleId}`).expect(200);
  return { moduleId, notebookId: module.body.module.notebooks[0].id as string };
}

/** Asks over the socket; returns the answer's meta event and the context data the model got. */
async function ask(
  user: SignedInUser,
  content: string,
  extra: Record<string, unknown> = {},
): Promise<{ meta: ChatMetaEvent; context: string; sessionId: string; turnId: string }> {
  provider.enqueue(CLASSIFICATION, { text: 'What do you think happens first?' });
  const callsBefore = provider.calls.length;
  const client = await connectClient(await t.listen(), user.accessToken);
  try {
    const ack = (await client.socket.timeout(5_000).emitWithAck('chat:send', {
      clientMessageId: randomUUID(),
      content,
      ...extra,
    } as never)) as { ok: true; sessionId: string; turnId: string };
    expect(ack.ok).toBe(true);
    const terminal = await client.terminalOf(ack.turnId);
    expect(terminal.name).toBe('chat:done');
    const meta = client.eventsOf(ack.turnId).find((event) => event.name === 'chat:meta')!;
    const answerCall = provider.calls.slice(callsBefore).find((call) => call.kind === 'stream')!;
    return {
      meta: meta.payload as unknown as ChatMetaEvent,
      // Only the data in front of the question, not the question itself.
      context: (answerCall.messages.at(-1)?.content ?? '').split('</student_context>')[0] ?? '',
      sessionId: ack.sessionId,
      turnId: ack.turnId,
    };
  } finally {
    client.close();
  }
}

const citations = (sources: MaterialSource[]) => sources.map((source) => source.citation);

/** Voyage embedding requests the fake received, by input type. */
const embeddingRequests = (inputType: 'query' | 'document') =>
  fake.calls
    .map((call) => call.body as { input_type?: string; input?: string[] })
    .filter((body) => body.input_type === inputType);

beforeAll(async () => {
  fake = await startFakeVoyage();
  t = await createTestApp(
    {
      LLM_PROVIDER: 'anthropic',
      ADMIN_EMAIL,
      VOYAGE_API_KEY: 'pa-test',
      VOYAGE_BASE_URL: fake.baseUrl,
      RETRIEVAL_QUERY_TIMEOUT: '400',
    },
    undefined,
    { ai: { factories: { anthropic: () => provider }, sleep: async () => {} } },
  );
  admin = await registerAdmin(t, { email: ADMIN_EMAIL, username: `teacher${Date.now()}` });
  student = await registerThroughApi(t.app);
  classmate = await registerThroughApi(t.app);
  hasVectors = (await findEmbeddingColumnDimensions(t.database.db)) === 1024;

  loops = await seedCourse(
    'Loops',
    true,
    notebookOf(
      ['markdown', 'A for loop repeats its body once for each item of a list.'],
      ['code', 'for fruit in ["apple", "pear"]:\n    print(fruit)'],
    ),
  );
  await seedCourse(
    'Dictionaries',
    true,
    notebookOf(['markdown', 'A dictionary maps each key to a value; look values up by key.']),
  );
  await seedCourse(
    'Drafts',
    false,
    notebookOf(['markdown', 'The zebracorn pattern is unpublished teacher material.']),
  );
  // A classmate's own notebook: only they may ever see its text.
  await asUser(t, classmate)
    .post('/api/notebooks')
    .send({
      title: 'Scratch',
      content: JSON.stringify(
        notebookOf(['markdown', 'My quokkafish idea: loop over the list twice.']),
      ),
    })
    .expect(201);
  // What main.ts does at boot: the seeded modules were written behind the indexer's back.
  t.hintbook.indexer.everythingChanged();
  await t.hintbook.indexer.idle();
});
afterAll(async () => {
  await t.close();
  await fake.close();
});
beforeEach(() => fake.reset());

describe('course material in the tutor’s answers', () => {
  it('grounds a module workspace answer in that module’s passages and cites them', async () => {
    const copy = await asUser(t, student)
      .get(`/api/modules/${loops.moduleId}/notebooks/${loops.notebookId}/copy`)
      .expect(200);
    const copyId = (copy.body.copy?.id ?? copy.body.id) as string;

    const { meta, context, sessionId } = await ask(
      student,
      'How do I repeat something for each item of a list? And what does a dictionary do?',
      { notebook: { kind: 'module_copy', id: copyId } },
    );

    expect(context).toContain('[Loops · Lesson · cell 1]');
    expect(context).toContain('A for loop repeats its body');
    expect(context).toContain('The student is working in Loops · Lesson.');
    // Scoped to the module the student is working in, even though "dictionary" matches.
    expect(context).not.toContain('maps each key');
    expect(meta.sources.length).toBeGreaterThan(0);
    expect(meta.sources[0]).toEqual({
      citation: expect.stringMatching(/^Loops · Lesson · cell \d$/),
      origin: 'course',
      moduleId: loops.moduleId,
      notebookId: loops.notebookId,
      cellIndex: expect.any(Number),
    });

    // Stored with the answer, so a reload shows the same citations.
    const history = await asUser(t, student)
      .get(`/api/chat/sessions/${sessionId}/messages`)
      .expect(200);
    const answer = history.body.messages.find(
      (message: { role: string }) => message.role === 'assistant',
    );
    expect(answer.sources).toEqual(meta.sources);
  });

  it('searches every published module in a general chat, never unpublished ones or a classmate’s notebook', async () => {
    const { meta, context } = await ask(
      student,
      'What does a dictionary map? Also the zebracorn pattern and my quokkafish idea?',
    );
    expect(context).toContain('maps each key to a value');
    expect(context).not.toContain('zebracorn');
    expect(context).not.toContain('quokkafish');
    expect(citations(meta.sources)).toContain('Dictionaries · Lesson · cell 1');
    expect(meta.sources.every((source) => source.origin === 'course')).toBe(true);
  });

  it('gives a student their own notebook’s passages, marked as theirs', async () => {
    const { meta, context } = await ask(classmate, 'Where was my quokkafish idea?');
    expect(context).toContain('quokkafish');
    expect(meta.sources).toContainEqual(
      expect.objectContaining({ citation: 'Your notebook · Scratch · cell 1', origin: 'own' }),
    );
  });

  it('answers with full-text passages when the question’s embedding does not come back in time', async () => {
    // The vendor holds the response far past RETRIEVAL_QUERY_TIMEOUT (400 ms).
    fake.setDefault({ headersDelayMs: 10_000 });
    const { meta, context } = await ask(student, 'How does a for loop go over a list?');
    expect(context).toContain('A for loop repeats its body');
    expect(citations(meta.sources)).toContain('Loops · Lesson · cell 1');
    // Where the database has pgvector the query embedding was attempted; without it, never.
    expect(embeddingRequests('query').length > 0).toBe(hasVectors);
  });

  it('gives the open module notebook’s own text when nothing in the course matches', async () => {
    const copy = await asUser(t, classmate)
      .get(`/api/modules/${loops.moduleId}/notebooks/${loops.notebookId}/copy`)
      .expect(200);
    const copyId = (copy.body.copy?.id ?? copy.body.id) as string;
    // The classmate: the student's questions in this file are near the rate limit per minute.
    const { meta, context } = await ask(classmate, 'xylophone', {
      notebook: { kind: 'module_copy', id: copyId },
    });
    expect(meta.sources).toEqual([]);
    // Read only now (the turn's copy read leaves the content out): still the best guess.
    expect(context).toContain('Loops · Lesson');
    expect(context).toContain('A for loop repeats its body');
  });

  it('answers without citations when nothing in the course matches', async () => {
    const { meta } = await ask(student, 'xylophone');
    expect(meta.sources).toEqual([]);
  });
});

describe('indexing after writes', () => {
  it('re-indexes a student’s notebook after a save, without blocking it, and only what changed', async () => {
    const created = await asUser(t, student)
      .post('/api/notebooks')
      .send({
        title: 'Practice',
        content: JSON.stringify(notebookOf(['markdown', 'Intro text.'], ['code', 'total = 0'])),
      })
      .expect(201);
    const { id, version } = created.body.notebook as { id: string; version: number };
    await t.hintbook.indexer.idle();
    fake.reset();

    await asUser(t, student)
      .put(`/api/notebooks/${id}`)
      .send({
        baseVersion: version,
        content: notebookOf(['markdown', 'Intro text.'], ['code', 'total = sum(marmosets)']),
      })
      .expect(200);
    await t.hintbook.indexer.idle();

    const { context } = await ask(student, 'marmosets');
    expect(context).toContain('total = sum(marmosets)');
    const documentTexts = embeddingRequests('document').flatMap((body) => body.input ?? []);
    // Only the changed cell is embedded again (and only where vectors are stored at all).
    expect(documentTexts).toEqual(
      hasVectors ? ['Your notebook · Practice · cell 2\ntotal = sum(marmosets)'] : [],
    );
  });

  it('re-indexes a module notebook after an admin edits it', async () => {
    await asUser(t, admin)
      .put(`/api/admin/modules/${loops.moduleId}/notebooks/${loops.notebookId}/content`)
      .send({ content: notebookOf(['markdown', 'While loops repeat until a condition fails.']) })
      .expect(200);
    await t.hintbook.indexer.idle();

    const { context } = await ask(student, 'When does a while loop stop?');
    expect(context).toContain('While loops repeat until a condition fails.');
    expect(context).not.toContain('A for loop repeats its body');
  });
});
