import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatSessions, messages } from '../../db/schema/index.js';
import { insertUsageEvent } from '../usage/usage.repository.js';
import { registerAdmin, registerThroughApi, type SignedInUser } from '../../test/factories.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { connectClient } from '../../test/socket-client.js';
import { ADMIN_EMAIL, asUser } from '../../test/admin.js';

async function auditActions(t: TestApp, admin: SignedInUser, query = '') {
  const res = await asUser(t, admin).get(`/api/admin/audit-log${query}`).expect(200);
  return (res.body.entries as Array<{ action: string; targetId: string | null }>).map(
    (entry) => `${entry.action} ${entry.targetId}`,
  );
}

describe('admin: people', () => {
  let t: TestApp;
  let admin: SignedInUser;
  beforeAll(async () => {
    t = await createTestApp({ ADMIN_EMAIL, LLM_PROVIDER: 'mock' });
    admin = await registerAdmin(t, { email: ADMIN_EMAIL, username: 'teacher' });
  });
  afterAll(() => t.close());

  it('lists, searches and filters users with usage and last activity', async () => {
    const ada = await registerThroughApi(t.app, { username: 'ada_lovelace' });
    await registerThroughApi(t.app, { username: 'bob_builder' });
    await insertUsageEvent(t.database.db, {
      userId: ada.body.user.id,
      purpose: 'answer',
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      inputTokens: 100,
      outputTokens: 50,
      costUsd: 0.25,
      outcome: 'ok',
      createdAt: t.clock(),
    });
    const as = asUser(t, admin);
    const all = await as.get('/api/admin/users?sort=usage').expect(200);
    expect(all.body.total).toBeGreaterThanOrEqual(3);
    expect(all.body.users[0]).toMatchObject({
      username: 'ada_lovelace',
      tokensThisMonth: 150,
      costThisMonthUsd: 0.25,
      allowance: { dailyTokens: null, weeklyTokens: null },
    });
    expect(all.body.users[0].lastActiveAt).toEqual(expect.any(String));

    const search = await as.get('/api/admin/users?q=LOVELACE').expect(200);
    expect(search.body.users.map((u: { username: string }) => u.username)).toEqual([
      'ada_lovelace',
    ]);
    const disabled = await as.get('/api/admin/users?status=disabled').expect(200);
    expect(disabled.body.total).toBe(0);

    const detail = await as.get(`/api/admin/users/${ada.body.user.id}`).expect(200);
    expect(detail.body).toMatchObject({
      user: { id: ada.body.user.id },
      usage: { day: { tokens: 150, costUsd: 0.25 }, month: { tokens: 150 } },
      progress: [],
      canReadTranscripts: false,
    });
  });

  it('disabling ends the student’s sockets at once, refuses their tokens and sign-in, and is audited', async () => {
    const student = await registerThroughApi(t.app);
    const client = await connectClient(await t.listen(), student.accessToken);
    const disconnected = new Promise<string>((resolve) =>
      client.socket.once('disconnect', (reason) => resolve(reason)),
    );
    const as = asUser(t, admin);
    const res = await as.post(`/api/admin/users/${student.body.user.id}/disable`).expect(200);
    expect(res.body.user.disabledAt).toEqual(expect.any(String));
    expect(await disconnected).toBe('io server disconnect');
    client.close();

    await request(t.app)
      .get('/api/auth/me')
      .set('Authorization', `Bearer ${student.accessToken}`)
      .expect(401);
    const login = await request(t.app).post('/api/auth/login').send(student.credentials);
    expect(login.body.error.code).toBe('auth.account_disabled');

    t.clock.advance(1_000);
    await as.post(`/api/admin/users/${student.body.user.id}/enable`).expect(200);
    await request(t.app).post('/api/auth/login').send(student.credentials).expect(200);
    expect(
      await auditActions(t, admin, `?targetType=user&targetId=${student.body.user.id}`),
    ).toEqual([`user.enable ${student.body.user.id}`, `user.disable ${student.body.user.id}`]);
  });

  it('refuses to disable or delete the admin’s own account', async () => {
    const res = await asUser(t, admin).post(`/api/admin/users/${admin.body.user.id}/disable`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('admin.cannot_change_self');
  });

  it('a per-user allowance replaces the default for that student only', async () => {
    const student = await registerThroughApi(t.app);
    const as = asUser(t, admin);
    await as
      .put(`/api/admin/users/${student.body.user.id}/allowance`)
      .send({ dailyTokens: 1234, weeklyTokens: null })
      .expect(200);
    const mine = await request(t.app)
      .get('/api/me/usage')
      .set('Authorization', `Bearer ${student.accessToken}`)
      .expect(200);
    expect(mine.body.day.limitTokens).toBe(1234);
    expect(mine.body.week.limitTokens).toBe(t.config.chat.weeklyTokens);
    await as
      .put(`/api/admin/users/${student.body.user.id}/allowance`)
      .send({ dailyTokens: null, weeklyTokens: null })
      .expect(200);
    const reset = await request(t.app)
      .get('/api/me/usage')
      .set('Authorization', `Bearer ${student.accessToken}`);
    expect(reset.body.day.limitTokens).toBe(t.config.chat.dailyTokens);
  });

  it('deleting a user removes them and their data, keeps the audit trail', async () => {
    const student = await registerThroughApi(t.app);
    const id = student.body.user.id;
    const as = asUser(t, admin);
    await as.delete(`/api/admin/users/${id}`).expect(204);
    await as.get(`/api/admin/users/${id}`).expect(404);
    await request(t.app).post('/api/auth/login').send(student.credentials).expect(401);
    const entries = await as.get('/api/admin/audit-log?action=user.delete').expect(200);
    expect(entries.body.entries[0]).toMatchObject({
      action: 'user.delete',
      actorEmail: ADMIN_EMAIL,
      targetId: id,
      details: { email: student.credentials.email },
    });
  });

  it('transcripts are off by default: 403 admin.transcripts_disabled', async () => {
    const student = await registerThroughApi(t.app);
    const res = await asUser(t, admin).get(`/api/admin/users/${student.body.user.id}/sessions`);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('admin.transcripts_disabled');
  });

  it('pages the audit log with a cursor', async () => {
    const as = asUser(t, admin);
    const first = await as.get('/api/admin/audit-log?limit=2').expect(200);
    expect(first.body.entries).toHaveLength(2);
    expect(first.body.nextBefore).toEqual(expect.any(String));
    const second = await as
      .get(`/api/admin/audit-log?limit=2&before=${encodeURIComponent(first.body.nextBefore)}`)
      .expect(200);
    const ids = [...first.body.entries, ...second.body.entries].map((e: { id: string }) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('admin: transcripts when ADMIN_CAN_READ_TRANSCRIPTS=true', () => {
  let t: TestApp;
  afterAll(() => t.close());

  it('shows a student’s conversations and messages, and audits every view', async () => {
    t = await createTestApp({ ADMIN_EMAIL, ADMIN_CAN_READ_TRANSCRIPTS: 'true' });
    const admin = await registerAdmin(t, { email: ADMIN_EMAIL, username: 'teacher' });
    const student = await registerThroughApi(t.app);
    const userId = student.body.user.id;
    const [session] = await t.database.db
      .insert(chatSessions)
      .values({ userId, title: 'Loops' })
      .returning({ id: chatSessions.id });
    await t.database.db.insert(messages).values([
      { sessionId: session!.id, userId, role: 'user', content: 'How do loops work?' },
      { sessionId: session!.id, userId, role: 'assistant', content: 'What do you think?' },
    ]);
    const as = asUser(t, admin);
    const sessions = await as.get(`/api/admin/users/${userId}/sessions`).expect(200);
    expect(sessions.body.sessions).toHaveLength(1);
    const read = await as
      .get(`/api/admin/users/${userId}/sessions/${session!.id}/messages`)
      .expect(200);
    expect(read.body.messages.map((m: { content: string }) => m.content)).toEqual([
      'How do loops work?',
      'What do you think?',
    ]);
    const audit = await as.get('/api/admin/audit-log?action=transcript.view').expect(200);
    expect(audit.body.entries).toHaveLength(1);
    expect(audit.body.entries[0]).toMatchObject({
      targetType: 'chat_session',
      targetId: session!.id,
      details: { userId },
    });
  });
});
