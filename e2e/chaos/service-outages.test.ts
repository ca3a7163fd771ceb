/**
 * Two replicas behind nginx, real processes, while PostgreSQL and Redis go away and come back
 * under running answers. Answers here take about 15 s (450 tokens at 30 a second), so each
 * outage starts and ends inside them. See e2e/support/replica-cluster.ts and turn-audit.ts.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectStudent, type ChatStudent } from '../support/chat-student.js';
import { startReplicaCluster, type ReplicaCluster } from '../support/replica-cluster.js';
import { auditTurn, createChaosRecord, type TurnAudit } from '../support/turn-audit.js';

const STUDENTS = 3;

describe('PostgreSQL and Redis outages under two replicas', () => {
  let cluster: ReplicaCluster | undefined;
  let students: ChatStudent[] = [];
  const record = createChaosRecord('service-outages');

  beforeAll(async () => {
    cluster = await startReplicaCluster({ answerWords: 450 });
    students = await Promise.all(
      Array.from({ length: STUDENTS }, (_, index) => connectStudent(cluster!.baseUrl, `s${index}`)),
    );
  }, 120_000);
  afterEach(({ task }) => {
    if (task.result?.state === 'fail' && cluster) console.error(cluster.logs());
  });
  afterAll(async () => {
    for (const student of students) student.close();
    await record.write();
    await cluster?.stop();
  }, 60_000);

  /** Every student asks; resolves once every answer is streaming (10 deltas in). */
  async function askAll(topic: string) {
    const turns = await Promise.all(
      students.map(async (student) => {
        const asked = await student.ask(`${topic} (${randomUUID()})`);
        return { student, ...asked };
      }),
    );
    await Promise.all(turns.map((turn) => turn.student.waitForDeltas(turn.turnId, 10)));
    return turns;
  }

  async function auditAll(turns: Awaited<ReturnType<typeof askAll>>): Promise<TurnAudit[]> {
    await Promise.all(turns.map((turn) => turn.student.terminalOf(turn.turnId, 60_000)));
    return Promise.all(turns.map((turn) => auditTurn(turn.student, turn.turnId, cluster!.sql)));
  }

  /** Polls both replicas' readiness until each answered `status` once. */
  async function waitForHealth(status: number, timeoutMs: number) {
    const deadline = Date.now() + timeoutMs;
    const seen = new Set<string>();
    while (seen.size < cluster!.replicas().length) {
      if (Date.now() > deadline) throw new Error(`not every replica answered ${status}`);
      for (const replica of cluster!.replicas()) {
        if ((await cluster!.health(replica)) === status) seen.add(replica.name);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  function expectReplicasAlive() {
    for (const replica of cluster!.replicas()) {
      expect(replica.process.child.exitCode, `replica ${replica.name} exited`).toBeNull();
      expect(replica.process.child.signalCode).toBeNull();
    }
  }

  it('PostgreSQL restarts during answers: no replica crashes, readiness goes 503 then 200, the answers end once and new ones work', async () => {
    const turns = await askAll('How do I sort a list?');
    await cluster!.postgres.stop();
    await waitForHealth(503, 15_000);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await cluster!.postgres.start();
    await waitForHealth(200, 30_000);
    expectReplicasAlive();

    const audits = await auditAll(turns);
    expect(audits.flatMap((audit) => audit.problems)).toEqual([]);
    expect(audits.map((audit) => audit.status)).toEqual(turns.map(() => 'complete'));
    record.add('PostgreSQL restart', audits);

    // New turns on the same backends, nothing restarted.
    const after = await askAll('And how do I reverse it?');
    const afterAudits = await auditAll(after);
    expect(afterAudits.flatMap((audit) => audit.problems)).toEqual([]);
    record.add('PostgreSQL restart: turns after', afterAudits);
    expectReplicasAlive();
  }, 150_000);

  it('a PostgreSQL outage longer than an answer’s lease does not end live answers as orphaned', async () => {
    const turns = await askAll('What does a while loop do?');
    // Heartbeats cannot be written for 8 s: more than STALE_AFTER_MS (6 s).
    await cluster!.postgres.restart(8_000);
    await waitForHealth(200, 30_000);
    expectReplicasAlive();

    const audits = await auditAll(turns);
    expect(audits.flatMap((audit) => audit.problems)).toEqual([]);
    expect(audits.map((audit) => audit.status)).toEqual(turns.map(() => 'complete'));
    record.add('PostgreSQL outage longer than the lease', audits);
  }, 150_000);

  it('Redis restarts during answers: sockets recover, no delta is lost or duplicated, new turns work', async () => {
    const turns = await askAll('How do I read a file?');
    // Killed: the stream, the recovery sessions and the socket slots are all gone with it.
    await cluster!.redis.restart(1_000);
    const audits = await auditAll(turns);
    expect(audits.flatMap((audit) => audit.problems)).toEqual([]);
    expect(audits.map((audit) => audit.status)).toEqual(turns.map(() => 'complete'));
    record.add('Redis restart', audits);
    expectReplicasAlive();

    for (const student of students) expect(student.socket.connected).toBe(true);
    const after = await askAll('And how do I write one?');
    const afterAudits = await auditAll(after);
    expect(afterAudits.flatMap((audit) => audit.problems)).toEqual([]);
    record.add('Redis restart: turns after', afterAudits);
    // A student who connects only now gets in (socket slots are counted in the new Redis).
    const late = await connectStudent(cluster!.baseUrl, 'late');
    late.close();
  }, 150_000);
});
