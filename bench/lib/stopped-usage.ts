import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { usageEvents } from '../../backend/src/db/schema/index.js';
import {
  REALISTIC_TIMING,
  startFakeAnthropic,
  startFakeGemini,
  startFakeOpenAI,
} from '../../backend/src/test/fake-providers/index.js';
import { registerThroughApi } from '../../backend/src/test/factories.js';
import { createTestApp } from '../../backend/src/test/harness.js';
import { connectClient } from '../../backend/src/test/socket-client.js';

/**
 * What each vendor's stopped answer is billed: the real app (in this process, on PGlite or the
 * TEST_DATABASE_URL server) through the real SDK against that vendor's fake with realistic
 * timing; the student stops after `stopAfter` deltas and the answer's usage row is read back.
 */
export interface StoppedUsage {
  vendor: string;
  deltasSeen: number;
  inputTokens: number;
  outputTokens: number;
  isEstimate: boolean;
  outcome: string;
}

const VENDORS = [
  { name: 'anthropic', start: startFakeAnthropic, key: 'ANTHROPIC' },
  { name: 'openai', start: startFakeOpenAI, key: 'OPENAI' },
  { name: 'google', start: startFakeGemini, key: 'GOOGLE' },
] as const;

export async function measureStoppedUsage(stopAfter = 10): Promise<StoppedUsage[]> {
  const results: StoppedUsage[] = [];
  for (const vendor of VENDORS) {
    const fake = await vendor.start({ timing: REALISTIC_TIMING });
    // Prose, so the answer guard releases it word by word.
    const prose = 'Think about what your loop adds to the total each time it goes round. '.repeat(
      8,
    );
    fake.setDefault({ chunks: prose.split(/(?= )/) });
    const t = await createTestApp({
      LLM_PROVIDER: vendor.name,
      [`${vendor.key}_API_KEY`]: 'bench-key',
      [`${vendor.key}_BASE_URL`]: fake.baseUrl,
    });
    try {
      const user = await registerThroughApi(t.app);
      const client = await connectClient(await t.listen(), user.accessToken);
      const ack = (await client.socket.timeout(10_000).emitWithAck('chat:send', {
        clientMessageId: randomUUID(),
        content: 'Why does my loop print 0 instead of the total?',
      } as never)) as { sessionId: string; turnId: string };
      await client.waitFor(
        (event) =>
          event.name === 'chat:delta' && (event.payload as { seq: number }).seq === stopAfter,
        10_000,
      );
      await client.socket.timeout(5_000).emitWithAck('chat:stop', { sessionId: ack.sessionId });
      await client.terminalOf(ack.turnId);
      const deltasSeen = client.eventsOf(ack.turnId).filter((e) => e.name === 'chat:delta').length;
      client.close();
      let row: typeof usageEvents.$inferSelect | undefined;
      for (let i = 0; i < 100 && !row; i += 1) {
        [row] = await t.database.db
          .select()
          .from(usageEvents)
          .where(and(eq(usageEvents.messageId, ack.turnId), eq(usageEvents.purpose, 'answer')));
        if (!row) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      results.push({
        vendor: vendor.name,
        deltasSeen,
        inputTokens: row?.inputTokens ?? 0,
        outputTokens: row?.outputTokens ?? 0,
        isEstimate: row?.isEstimate ?? false,
        outcome: row?.outcome ?? 'no row',
      });
    } finally {
      await t.close();
      await fake.close();
    }
  }
  return results;
}
