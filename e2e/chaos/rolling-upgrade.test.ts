/**
 * A rolling upgrade of two replicas behind nginx, as scripts/upgrade.sh does it with Docker: for
 * each old replica, a new one turns healthy, DNS names it instead, nginx reloads, the old one
 * drains on SIGTERM and exits. Meanwhile a steady request loop and students asking question
 * after question go through nginx. Nothing may fail and no answer may be lost.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectStudent, type ChatStudent } from '../support/chat-student.js';
import { request } from '../support/http.js';
import { startReplicaCluster, type ReplicaCluster } from '../support/replica-cluster.js';
import { auditTurn, createChaosRecord } from '../support/turn-audit.js';

const STUDENTS = 3;
const REQUEST_EVERY_MS = 50;

describe('a rolling upgrade under load', () => {
  let cluster: ReplicaCluster | undefined;
  const students: ChatStudent[] = [];
  const record = createChaosRecord('rolling-upgrade');

  beforeAll(async () => {
    // Answers of about 3 s (90 tokens at 30 a second): several run across each drain.
    cluster = await startReplicaCluster({ answerWords: 90 });
  }, 120_000);
  afterEach(({ task }) => {
    if (task.result?.state === 'fail' && cluster) console.error(cluster.logs());
  });
  afterAll(async () => {
    for (const student of students) student.close();
    await record.write();
    await cluster?.stop();
  }, 60_000);

  it('replacing each replica in turn fails no request and loses no answer', async () => {
    const { baseUrl, sql } = cluster!;
    for (let index = 0; index < STUDENTS; index += 1) {
      students.push(await connectStudent(baseUrl, `upgrade${index}`));
    }
    let isRunning = true;

    // A student's page polling the API: signed in, proxied to whichever replica nginx picks.
    const outcomes = { ok: 0, failed: [] as string[] };
    const requestLoop = (async () => {
      const headers = { authorization: `Bearer ${students[0]!.token}` };
      while (isRunning) {
        const path = outcomes.ok % 2 === 0 ? '/api/chat/sessions' : '/api/health';
        try {
          const response = await request(`${baseUrl}${path}`, { headers });
          if (response.status === 200) outcomes.ok += 1;
          else outcomes.failed.push(`${path} ${response.status} ${response.text.slice(0, 100)}`);
        } catch (error) {
          outcomes.failed.push(`${path} ${String(error)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, REQUEST_EVERY_MS));
      }
    })();

    // Each student asks, waits for the whole answer, asks again.
    const asked: Array<{
      student: ChatStudent;
      turnId: string;
      askedAt: number;
      endedAt?: number;
    }> = [];
    const chatLoops = students.map(async (student) => {
      let sessionId: string | undefined;
      while (isRunning) {
        const askedAt = Date.now();
        const turn = await student.ask(`Question ${randomUUID()}`, sessionId);
        sessionId = turn.sessionId;
        const entry = {
          student,
          turnId: turn.turnId,
          askedAt,
          endedAt: undefined as number | undefined,
        };
        asked.push(entry);
        await student.terminalOf(turn.turnId, 60_000);
        entry.endedAt = Date.now();
      }
    });

    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const replacements: Array<{ name: string; from: number; to: number }> = [];
    for (const old of cluster!.replicas()) {
      const from = Date.now();
      await cluster!.replace(old);
      replacements.push({ name: old.name, from, to: Date.now() });
    }
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    isRunning = false;
    await Promise.all([requestLoop, ...chatLoops]);

    expect(outcomes.failed).toEqual([]);
    expect(outcomes.ok).toBeGreaterThan(50);
    expect(cluster!.replicas().map((replica) => replica.name)).toEqual(['c', 'd']);
    const audits = [];
    for (const { student, turnId } of asked) audits.push(await auditTurn(student, turnId, sql));
    record.add('rolling upgrade', audits);
    expect(audits.flatMap((audit) => audit.problems)).toEqual([]);
    expect(audits.map((audit) => audit.status)).toEqual(asked.map(() => 'complete'));
    // The point of it: answers were running while each replica was replaced and drained. (How
    // many turns fit in the window depends on how fast the machine replaces a replica.)
    for (const replacement of replacements) {
      const across = asked.filter(
        (turn) => turn.askedAt < replacement.to && (turn.endedAt ?? Infinity) > replacement.from,
      );
      expect(
        across.length,
        `answers running while ${replacement.name} was replaced`,
      ).toBeGreaterThan(0);
    }
    expect(audits.length).toBeGreaterThanOrEqual(STUDENTS * 2);
  }, 180_000);
});
