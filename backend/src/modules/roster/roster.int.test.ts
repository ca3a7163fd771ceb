import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.js';
import {
  buildRegistration,
  registerAdmin,
  registerThroughApi,
  type SignedInUser,
} from '../../test/factories.js';
import { startMailCatcher, type MailCatcher } from '../../test/mail-catcher.js';
import { asUser } from '../../test/admin.js';

const ADMIN = 'teacher@school.example';
let mail: MailCatcher;
let t: TestApp;
let admin: SignedInUser;

beforeAll(async () => {
  mail = await startMailCatcher();
  t = await createTestApp({
    ADMIN_EMAIL: ADMIN,
    REGISTRATION_MODE: 'closed',
    SMTP_URL: mail.url,
    PUBLIC_URL: 'https://tutor.school.example',
  });
  admin = await registerAdminDespiteClosed();
});
afterAll(async () => {
  await t.close();
  await mail.close();
});

/** The operator creates the admin where registration is closed (npm run admin -- create). */
async function registerAdminDespiteClosed(): Promise<SignedInUser> {
  const open = await createTestApp({ ADMIN_EMAIL: ADMIN }, t);
  return registerAdmin(open, { email: ADMIN, username: 'teacher' });
}

const tokenOf = (url: string) => new URL(url).hash.replace(/^#invite=/, '');

describe('class rosters', () => {
  it('imports a CSV: groups created, invitations as links to hand out, bad rows explained', async () => {
    const response = await asUser(t, admin)
      .post('/api/admin/roster')
      .send({
        text: 'email,name,group\nada@school.example,Ada Lovelace,9B\nnot-an-email,X,9B\nalan@school.example,Alan Turing,9C\n',
      })
      .expect(201);
    expect(response.body.groupsCreated).toEqual(['9B', '9C']);
    expect(response.body.rows.map((row: { outcome: string }) => row.outcome)).toEqual([
      'invited',
      'rejected',
      'invited',
    ]);
    const ada = response.body.rows[0];
    expect(ada.inviteUrl).toMatch(/^https:\/\/tutor\.school\.example\/register#invite=/);

    // Registration is closed, but the invitation lets exactly this address in, into 9B.
    const lookup = await request(t.app)
      .post('/api/auth/invitation')
      .send({ token: tokenOf(ada.inviteUrl) })
      .expect(200);
    expect(lookup.body).toEqual({ email: 'ada@school.example', name: 'Ada Lovelace', group: '9B' });
    const wrongEmail = await request(t.app)
      .post('/api/auth/register')
      .send(
        buildRegistration({ email: 'eve@school.example', invitationToken: tokenOf(ada.inviteUrl) }),
      )
      .expect(403);
    expect(wrongEmail.body.error.message).toBe('This invitation is for ada@school.example.');
    await request(t.app)
      .post('/api/auth/register')
      .send(buildRegistration({ email: 'ada@school.example' }))
      .expect(403);
    const joined = await request(t.app)
      .post('/api/auth/register')
      .send(
        buildRegistration({ email: 'ada@school.example', invitationToken: tokenOf(ada.inviteUrl) }),
      )
      .expect(201);
    // A link handed out proves nothing about the mailbox.
    expect(joined.body.user.emailVerified).toBe(false);
    const replay = await request(t.app)
      .post('/api/auth/register')
      .send(
        buildRegistration({ email: 'ada@school.example', invitationToken: tokenOf(ada.inviteUrl) }),
      )
      .expect(400);
    expect(replay.body.error.code).toBe('roster.invitation_invalid');

    const groups = await asUser(t, admin).get('/api/admin/groups').expect(200);
    expect(groups.body.groups).toEqual([
      expect.objectContaining({ name: '9B', memberCount: 1, pendingInvitations: 0 }),
      expect.objectContaining({ name: '9C', memberCount: 0, pendingInvitations: 1 }),
    ]);
    const inGroup = await asUser(t, admin)
      .get(`/api/admin/users?groupId=${groups.body.groups[0].id}`)
      .expect(200);
    expect(inGroup.body.users.map((user: { email: string }) => user.email)).toEqual([
      'ada@school.example',
    ]);
  });

  it('mails invitations when asked; the mailed link verifies the address', async () => {
    const response = await asUser(t, admin)
      .post('/api/admin/roster')
      .send({ text: 'grace@school.example; lin@school.example', sendEmails: true })
      .expect(201);
    expect(response.body.rows.every((row: { inviteUrl?: string }) => !row.inviteUrl)).toBe(true);
    const invite = await mail.waitForMail('grace@school.example');
    expect(invite.subject).toBe('You are invited to Hintbook, your coding tutor');
    const url = /https:\/\/\S+\/register#invite=[\w-]+/.exec(invite.text)![0];

    const joined = await request(t.app)
      .post('/api/auth/register')
      .send(buildRegistration({ email: 'grace@school.example', invitationToken: tokenOf(url) }))
      .expect(201);
    expect(joined.body.user.emailVerified).toBe(true);
    // Already verified: no verification mail follows.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(mail.mails.filter((m) => m.to === 'grace@school.example')).toHaveLength(1);
  });

  it('adds people who have an account to the group, renews and revokes invitations', async () => {
    t.clock.advance(60_000);
    const first = await asUser(t, admin)
      .post('/api/admin/roster')
      .send({ text: 'ada@school.example,,9C\nalan@school.example,,9C' })
      .expect(201);
    expect(first.body.rows.map((row: { outcome: string }) => row.outcome)).toEqual([
      'added_to_group',
      'invitation_renewed',
    ]);
    const invitations = await asUser(t, admin).get('/api/admin/invitations').expect(200);
    const alan = invitations.body.invitations.filter(
      (invitation: { email: string }) => invitation.email === 'alan@school.example',
    );
    expect(alan.map((invitation: { status: string }) => invitation.status)).toEqual([
      'pending',
      'revoked',
    ]);
    await asUser(t, admin).delete(`/api/admin/invitations/${alan[0].id}`).expect(204);
    await request(t.app)
      .post('/api/auth/invitation')
      .send({ token: tokenOf(first.body.rows[1].inviteUrl) })
      .expect(400);
  });

  it('is for admins only and refuses mailing without SMTP', async () => {
    const plain = await createTestApp({ ADMIN_EMAIL: ADMIN }, t);
    const student = await registerThroughApi(plain.app);
    await asUser(plain, student)
      .post('/api/admin/roster')
      .send({ text: 'x@school.example' })
      .expect(403);
    const teacher = await request(plain.app)
      .post('/api/auth/login')
      .send({ email: ADMIN, password: 'correct horse battery staple' })
      .expect(200);
    const refused = await request(plain.app)
      .post('/api/admin/roster')
      .set('Authorization', `Bearer ${teacher.body.accessToken}`)
      .send({ text: 'x@school.example', sendEmails: true })
      .expect(503);
    expect(refused.body.error.code).toBe('auth.mail_not_configured');
  });
});

describe('a student’s roster data', () => {
  it('is in their export, and deleting the account deletes their invitations', async () => {
    const imported = await asUser(t, admin)
      .post('/api/admin/roster')
      .send({ text: 'email,name,group\nomar@school.example,Omar,10A' })
      .expect(201);
    const token = tokenOf(imported.body.rows[0].inviteUrl);
    const omar = await request(t.app)
      .post('/api/auth/register')
      .send(buildRegistration({ email: 'omar@school.example', invitationToken: token }))
      .expect(201);
    const bearer = { Authorization: `Bearer ${omar.body.accessToken}` };

    const exported = await request(t.app).get('/api/auth/me/export').set(bearer).expect(200);
    const data = JSON.parse(exported.text);
    expect(data.classes.groups).toEqual([expect.objectContaining({ name: '10A' })]);
    expect(data.classes.invitations).toEqual([
      expect.objectContaining({ email: 'omar@school.example', name: 'Omar' }),
    ]);
    expect(data.exerciseAttempts).toEqual([]);

    await request(t.app)
      .delete('/api/auth/me')
      .set(bearer)
      .send({ password: 'correct horse battery staple' })
      .expect(204);
    const invitations = await asUser(t, admin).get('/api/admin/invitations').expect(200);
    expect(
      invitations.body.invitations.filter(
        (i: { email: string }) => i.email === 'omar@school.example',
      ),
    ).toEqual([]);
  });
});
