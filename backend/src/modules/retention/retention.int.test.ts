import { randomUUID } from 'node:crypto';
import { eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createMockProvider } from '../../ai/providers/mock.js';
import { messages, usageEvents } from '../../db/schema/index.js';
import { registerThroughApi, type SignedInUser } from '../../test/factories.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { connectClient } from '../../test/socket-client.js';
import { asUser } from '../../test/admin.js';

const DAY_MS = 86_400_000;
const provider = createMockProvider({ name: 'anthropic' });
let t: TestApp;
let student: SignedInUser;

async function converse(content: string, sessionId?: string): Promise<string> {
  provider.enqueue(
    {
      structured: {
        isNewProblem: true,
        isElaborationRequest: false,
        difficulty: { programming: 2, maths: 1 },
        problemSummary: 'a loop',
      },
    },
    { text: 'What happens on the last pass?' },
  );
  const client = await connectClient(await t.listen(), student.accessToken);
  const ack = (await client.socket.timeout(5_000).emitWithAck('chat:send', {
    clientMessageId: randomUUID(),
    content,
    ...(sessionId ? { sessionId } : {}),
  } as never)) as { ok: boolean; sessionId: string; turnId: string };
  expect((await client.terminalOf(ack.turnId)).name).toBe('chat:done');
  client.close();
  return ack.sessionId;
}

const usageRowsOf = (sessionId: string) =>
  t.database.db.select().from(usageEvents).where(eq(usageEvents.sessionId, sessionId));

beforeAll(async () => {
  // Signed in across the weeks the clock jumps, without refreshing.
  const env = { LLM_PROVIDER: 'anthropic', CHAT_RETENTION_DAYS: '30', ACCESS_TOKEN_TTL: '365d' };
  t = await createTestApp(env, undefined, {
    ai: { factories: { anthropic: () => provider }, sleep: async () => {} },
  });
  student = await registerThroughApi(t.app);
});
afterAll(() => t.close());

describe('chat retention', () => {
  it('deletes conversations untouched for longer than CHAT_RETENTION_DAYS and keeps the rest and the usage ledger', async () => {
    const old = await converse('Why does my loop stop early?');
    // Usage rows are written in the background; wait until the old turn's calls are all there.
    await vi.waitFor(async () => expect((await usageRowsOf(old)).length).toBe(2));
    t.clock.advance(20 * DAY_MS);
    const recent = await converse('And why does this one never stop?');
    await vi.waitFor(async () => expect((await usageRowsOf(recent)).length).toBe(2));
    const ledgerBefore = await t.database.db.select().from(usageEvents);
    t.clock.advance(15 * DAY_MS);

    expect(await t.hintbook.retention.sweepNow()).toBe(1);

    const sessions = await asUser(t, student).get('/api/chat/sessions').expect(200);
    expect(sessions.body.sessions.map((session: { id: string }) => session.id)).toEqual([recent]);
    await asUser(t, student).get(`/api/chat/sessions/${old}/messages`).expect(404);
    expect(await t.database.db.select().from(messages).where(eq(messages.sessionId, old))).toEqual(
      [],
    );
    // The ledger keeps every call, with its tokens and cost; it only loses the link.
    const ledgerAfter = await t.database.db.select().from(usageEvents);
    expect(ledgerAfter.map((row) => row.id).sort()).toEqual(
      ledgerBefore.map((row) => row.id).sort(),
    );
    const unlinked = await t.database.db
      .select()
      .from(usageEvents)
      .where(isNull(usageEvents.sessionId));
    expect(unlinked).toHaveLength(2);
    expect(unlinked.every((row) => row.inputTokens > 0 || row.outputTokens > 0)).toBe(true);
  });

  it('keeps a conversation continued within the window, however old its start', async () => {
    const continued = await converse('How do I read a file?');
    t.clock.advance(25 * DAY_MS);
    await converse('And how do I close it?', continued);
    t.clock.advance(10 * DAY_MS);

    expect(await t.hintbook.retention.sweepNow()).toBe(1); // the recent one of the first test
    const left = await t.database.db
      .select()
      .from(messages)
      .where(eq(messages.sessionId, continued));
    expect(left).toHaveLength(4);
  });
});
