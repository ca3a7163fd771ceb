import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUMMARY_SYSTEM_PROMPT } from '../../ai/pedagogy/index.js';
import { createMockProvider } from '../../ai/providers/mock.js';
import { usageEvents } from '../../db/schema/index.js';
import { registerThroughApi } from '../../test/factories.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { connectClient, handshakeRefusal } from '../../test/socket-client.js';

const provider = createMockProvider({ name: 'anthropic' });
// Classification runs beside the answer: its script waits for the structured call.
const classification = {
  for: 'structured' as const,
  structured: {
    isNewProblem: false,
    isElaborationRequest: false,
    difficulty: { programming: 2, maths: 1 },
    problemSummary: 'loops',
  },
};
// About 200 estimated tokens each: two questions and answers overflow a 500-token history.
const long = (label: string) => `${label} ${'lorem ipsum dolor '.repeat(38)}`;

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp(
    { LLM_PROVIDER: 'anthropic', CHAT_HISTORY_TOKENS: '500', SOCKET_MAX_CONNECTIONS_PER_USER: '2' },
    undefined,
    { ai: { factories: { anthropic: () => provider }, sleep: async () => {} } },
  );
});
afterAll(() => t.close());

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 3_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('conversation context', () => {
  const summaryCalls = () => provider.calls.filter((call) => call.system === SUMMARY_SYSTEM_PROMPT);
  // The summary after a turn may start before or after the test looks: pick answers by kind.
  const answerCalls = () =>
    provider.calls.filter(
      (call) => call.kind === 'stream' && call.system !== SUMMARY_SYSTEM_PROMPT,
    );
  async function conversation() {
    const user = await registerThroughApi(t.app);
    const client = await connectClient(await t.listen(), user.accessToken);
    let sessionId: string | undefined;
    const ask = async (content: string, ...scripts: Parameters<typeof provider.enqueue>) => {
      provider.enqueue(...scripts);
      const ack = (await client.socket.timeout(5_000).emitWithAck('chat:send', {
        clientMessageId: randomUUID(),
        content,
        ...(sessionId ? { sessionId } : {}),
      } as never)) as { sessionId: string; turnId: string };
      sessionId = ack.sessionId;
      await client.terminalOf(ack.turnId);
    };
    return { user, client, ask };
  }

  it('folds messages that leave the history budget into a running summary after the turn, one slice at a time', async () => {
    provider.reset();
    const { user, client, ask } = await conversation();
    await ask(long('Q1'), classification, { text: long('A1') });
    expect(summaryCalls()).toHaveLength(0);

    // After this answer the next question would not fit Q1 and A1 any more: they are folded
    // once the answer is done, and the student never waits for it.
    await ask(long('Q2'), classification, { text: long('A2') }, { text: 'SUMMARY-ONE' });
    await until(() => summaryCalls().length === 1);
    const firstFold = summaryCalls()[0]!.messages[0]!.content;
    expect(firstFold).toContain('Q1');
    expect(firstFold).not.toContain('Q2');
    // Each turn's classification runs beside its answer (either may reach the provider first);
    // the summary comes after the second answer.
    expect(provider.calls.filter((call) => call.kind === 'structured')).toHaveLength(2);
    expect(answerCalls()).toHaveLength(2);
    expect(provider.calls.indexOf(summaryCalls()[0]!)).toBeGreaterThan(
      provider.calls.indexOf(answerCalls()[1]!),
    );
    expect(provider.calls).toHaveLength(5);

    await until(async () => (await summaryRows(user.body.user.id)) === 1);
    await ask(long('Q3'), classification, { text: long('A3') }, { text: 'SUMMARY-TWO' });
    const answerAfterFold = answerCalls().at(-1)!;
    // The summary is data in the question's turn, never in the system prompt.
    expect(answerAfterFold.system).not.toContain('SUMMARY-ONE');
    const question = answerAfterFold.messages.at(-1)!.content;
    expect(question).toMatch(/^<student_context>\n<conversation_summary>\nSUMMARY-ONE\n/);
    expect(question.endsWith(long('Q3').trim())).toBe(true);
    expect(answerAfterFold.messages.map((m) => m.content.slice(0, 2))).toEqual(['Q2', 'A2', '<s']);

    await until(() => summaryCalls().length === 2);
    const secondFold = summaryCalls()[1]!.messages[0]!.content;
    expect(secondFold).toContain('SUMMARY-ONE'); // builds on the previous summary…
    expect(secondFold).toContain('Q2'); // …with only the newly folded slice
    expect(secondFold).not.toContain('Q1');
    await until(async () => (await summaryRows(user.body.user.id)) === 2);
    client.close();
  });

  it('without a summary yet, sends only the most recent messages that fit the budget', async () => {
    provider.reset();
    const { client, ask } = await conversation();
    await ask(long('Q1'), classification, { text: long('A1') });
    await ask(
      long('Q2'),
      classification,
      { text: long('A2') },
      { failBeforeFirstToken: 'invalid_request' }, // the summary fails: nothing is stored
    );
    await until(() => summaryCalls().length === 1);
    await ask(long('Q3'), classification, { text: long('A3') }, { text: 'SUMMARY' });
    const answer = answerCalls()[2]!;
    expect(answer.messages.map((m) => m.content.slice(0, 2))).toEqual(['Q2', 'A2', 'Q3']);
    expect(answer.messages.at(-1)!.content).not.toContain('conversation_summary');
    client.close();
  });
});

async function summaryRows(userId: string) {
  const rows = await t.database.db.select().from(usageEvents).where(eq(usageEvents.userId, userId));
  return rows.filter((row) => row.purpose === 'summary').length;
}

describe('connections per user', () => {
  it('refuses a connection beyond SOCKET_MAX_CONNECTIONS_PER_USER with a code the client can show', async () => {
    const user = await registerThroughApi(t.app);
    const baseUrl = await t.listen();
    const tabs = [
      await connectClient(baseUrl, user.accessToken),
      await connectClient(baseUrl, user.accessToken),
    ];
    expect(await handshakeRefusal(baseUrl, user.accessToken)).toBe('realtime.too_many_connections');
    tabs[0]!.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const third = await connectClient(baseUrl, user.accessToken);
    third.close();
    tabs[1]!.close();
  });
});
