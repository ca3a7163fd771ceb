/**
 * Two replicas behind nginx, real processes: one dies mid-answer (`kill -9`), and a stop reaches
 * a turn on another replica. See e2e/support/replica-cluster.ts for the set-up and
 * e2e/support/turn-audit.ts for what counts as lost or duplicated.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectStudent, openTutorSocket } from '../support/chat-student.js';
import { startReplicaCluster, type ReplicaCluster } from '../support/replica-cluster.js';
import { auditTurn, createChaosRecord } from '../support/turn-audit.js';

describe('replicas failing behind nginx', () => {
  let cluster: ReplicaCluster | undefined;
  const record = createChaosRecord('replica-failures');

  beforeAll(async () => {
    cluster = await startReplicaCluster();
  }, 120_000);
  afterEach(({ task }) => {
    if (task.result?.state === 'fail' && cluster) console.error(cluster.logs());
  });
  afterAll(async () => {
    await record.write();
    await cluster?.stop();
  }, 60_000);

  it('a replica killed mid-answer: the student reconnects through nginx to the other, keeps the partial answer marked interrupted, and a retry completes', async () => {
    const { baseUrl, sql } = cluster!;
    const student = await connectStudent(baseUrl, 'killed');
    try {
      const marker = `q-${randomUUID()}`;
      const asked = await student.ask(`How do I reverse a list? (${marker})`);
      await student.waitForDeltas(asked.turnId, 30);
      const owner = cluster!.ownerOf(marker);
      expect(owner, 'the replica that ran the answer').toBeDefined();
      // What a crash keeps is what was flushed (every second, stream-flusher.ts): killed between
      // the first delta and the first flush, an answer has nothing to keep, by design. 30 deltas
      // at 30 a second are just under a second, so wait for that first write.
      const flushedAt = Date.now() + 5_000;
      while (
        Number(await sql(`select length(content) from messages where id = '${asked.turnId}'`)) === 0
      ) {
        if (Date.now() > flushedAt) throw new Error('the partial answer was never flushed');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }

      const killedAt = performance.now();
      await owner!.process.kill('SIGKILL');
      const terminal = await student.terminalOf(asked.turnId, 20_000);
      const endedAt = student.arrivalOf(terminal.payload);

      // Reconnected through nginx (to the survivor), and told within the 10 s promised.
      expect(student.disconnects).toBeGreaterThanOrEqual(1);
      expect(student.socket.connected).toBe(true);
      expect(terminal).toMatchObject({
        name: 'chat:error',
        payload: { code: 'ai.interrupted', retryable: true },
      });
      expect(endedAt - killedAt).toBeLessThan(10_000);
      const interrupted = await auditTurn(student, asked.turnId, sql);
      expect(interrupted).toMatchObject({ status: 'interrupted', problems: [] });
      expect(terminal.payload.content.length).toBeGreaterThan(0);

      const retried = await student.retry(asked.sessionId);
      const done = await student.terminalOf(retried.turnId);
      expect(done).toMatchObject({ name: 'chat:done', payload: { status: 'complete' } });
      const completed = await auditTurn(student, retried.turnId, sql);
      expect(completed).toMatchObject({ status: 'complete', problems: [] });
      record.add('kill -9 mid-answer', [interrupted, completed]);

      // The killed replica comes back (a container restarted) for the tests after this one.
      await cluster!.restart(owner!);
    } finally {
      student.close();
    }
  }, 90_000);

  it('a stop sent through replica B ends the turn running on replica A', async () => {
    const { baseUrl, sql } = cluster!;
    const student = await connectStudent(baseUrl, 'stopper');
    let otherTab: Awaited<ReturnType<typeof openTutorSocket>> | undefined;
    try {
      const marker = `q-${randomUUID()}`;
      const asked = await student.ask(`What is a for loop? (${marker})`);
      await student.waitForDeltas(asked.turnId, 5);
      const owner = cluster!.ownerOf(marker);
      const other = cluster!.replicas().find((replica) => replica !== owner);
      expect(owner).toBeDefined();
      expect(other).toBeDefined();
      // The student's other tab is on the other replica.
      otherTab = await openTutorSocket(other!.url, student.token, student.email);

      const stoppedAt = performance.now();
      await otherTab.stop(asked.sessionId, asked.turnId);
      const terminal = await student.terminalOf(asked.turnId, 10_000);
      expect(terminal).toMatchObject({ name: 'chat:done', payload: { status: 'interrupted' } });
      const endedAt = student.arrivalOf(terminal.payload);
      const deltas = student.events.filter(
        (event) => event.name === 'chat:delta' && event.payload.turnId === asked.turnId,
      );
      // Nothing streams after the end; the stop took effect at once (the bench measures it).
      expect(deltas.at(-1)!.at).toBeLessThanOrEqual(endedAt);
      expect(endedAt - stoppedAt).toBeLessThan(2_000);
      expect(student.deltasOf(asked.turnId).length).toBeLessThan(100);
      // Both tabs end the same turn the same way.
      await otherTab.terminalOf(asked.turnId, 5_000);
      const audit = await auditTurn(student, asked.turnId, sql);
      expect(audit).toMatchObject({ status: 'interrupted', problems: [] });
      record.add('stop through the other replica', [audit]);
    } finally {
      otherTab?.close();
      student.close();
    }
  }, 60_000);
});
