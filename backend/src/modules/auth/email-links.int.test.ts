import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { refreshWith, registerThroughApi } from '../../test/factories.js';
import { connectClient } from '../../test/socket-client.js';
import { linkIn, startMailCatcher, tokenOf, type MailCatcher } from '../../test/mail-catcher.js';
import { findUserByEmail } from '../users/users.repository.js';

const PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'a brand new tuning fork';
let mail: MailCatcher;
let t: TestApp;

beforeAll(async () => {
  mail = await startMailCatcher();
  t = await createTestApp({
    SMTP_URL: mail.url,
    PUBLIC_URL: 'https://tutor.school.example',
    ADMIN_EMAIL: 'head@school.example',
  });
});
afterAll(async () => {
  await t.close();
  await mail.close();
});

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('verifying an address by email', () => {
  it('mails a link at registration; opening it verifies the address, once', async () => {
    const student = await registerThroughApi(t.app, { email: 'ada@school.example' });
    expect(student.body.user.emailVerified).toBe(false);

    const sent = await mail.waitForMail('ada@school.example');
    expect(sent.subject).toBe('Confirm your email address for Hintbook');
    const link = linkIn(sent, 'verify-email');
    expect(link.startsWith('https://tutor.school.example/verify-email#token=')).toBe(true);
    expect(sent.html).toContain(link);

    await request(t.app)
      .post('/api/auth/verify-email')
      .send({ token: tokenOf(link) })
      .expect(204);
    const me = await request(t.app).get('/api/auth/me').set(bearer(student.accessToken));
    expect(me.body.user.emailVerified).toBe(true);

    const again = await request(t.app)
      .post('/api/auth/verify-email')
      .send({ token: tokenOf(link) })
      .expect(400);
    expect(again.body.error.code).toBe('auth.link_invalid');
  });

  it('makes a listed admin an admin once the mailed link is opened, and not before', async () => {
    const head = await registerThroughApi(t.app, { email: 'head@school.example' });
    await request(t.app).get('/api/admin/users').set(bearer(head.accessToken)).expect(403);

    const link = linkIn(await mail.waitForMail('head@school.example'), 'verify-email');
    await request(t.app)
      .post('/api/auth/verify-email')
      .send({ token: tokenOf(link) })
      .expect(204);

    await request(t.app).get('/api/admin/users').set(bearer(head.accessToken)).expect(200);
  });

  it('refuses made-up, malformed and superseded tokens with a plain message', async () => {
    const student = await registerThroughApi(t.app, { email: 'grace@school.example' });
    const first = linkIn(await mail.waitForMail('grace@school.example'), 'verify-email');
    await request(t.app)
      .post('/api/auth/verify-email/send')
      .set(bearer(student.accessToken))
      .expect(202);
    await expect
      .poll(() => mail.mails.filter((m) => m.to === 'grace@school.example').length)
      .toBe(2);

    const superseded = await request(t.app)
      .post('/api/auth/verify-email')
      .send({ token: tokenOf(first) })
      .expect(400);
    expect(superseded.body.error.message).toMatch(/newer one replaced it/);
    await request(t.app)
      .post('/api/auth/verify-email')
      .send({ token: 'x'.repeat(43) })
      .expect(400);
    const malformed = await request(t.app).post('/api/auth/verify-email').send({ token: 7 });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('validation.failed');
  });
});

describe('resetting a forgotten password by email', () => {
  it('mails a single-use link; the new password works, the old one and every sign-in end', async () => {
    const student = await registerThroughApi(t.app, { email: 'lin@school.example' });
    const otherDevice = await request(t.app)
      .post('/api/auth/login')
      .send(student.credentials)
      .expect(200);

    const asked = await request(t.app)
      .post('/api/auth/password-reset')
      .send({ email: 'Lin@School.example' })
      .expect(202);
    const reset = await mail.waitForMail('lin@school.example', (m) => /Reset/.test(m.subject));
    expect(reset.text).toMatch(/works once, for 30 minutes/);
    const token = tokenOf(linkIn(reset, 'reset-password'));

    const weak = await request(t.app)
      .post('/api/auth/password-reset/confirm')
      .send({ token, password: 'password' });
    expect(weak.status).toBe(400);
    await request(t.app)
      .post('/api/auth/password-reset/confirm')
      .send({ token, password: NEW_PASSWORD })
      .expect(204);

    await request(t.app).get('/api/auth/me').set(bearer(student.accessToken)).expect(401);
    await request(t.app).get('/api/auth/me').set(bearer(otherDevice.body.accessToken)).expect(401);
    await refreshWith(t.app, student.refreshCookie).expect(401);
    await request(t.app).post('/api/auth/login').send(student.credentials).expect(401);
    const fresh = await request(t.app)
      .post('/api/auth/login')
      .send({ email: 'lin@school.example', password: NEW_PASSWORD })
      .expect(200);
    // The mailbox got the link, so the address is the student's.
    expect(fresh.body.user.emailVerified).toBe(true);

    const replay = await request(t.app)
      .post('/api/auth/password-reset/confirm')
      .send({ token, password: 'yet another long phrase' })
      .expect(400);
    expect(replay.body.error.code).toBe('auth.link_invalid');
    expect(asked.body.message).toMatch(/If an account uses this address/);
  });

  it('answers the same for an unknown address and sends nothing', async () => {
    const before = mail.mails.length;
    const unknown = await request(t.app)
      .post('/api/auth/password-reset')
      .send({ email: 'nobody@school.example' })
      .expect(202);
    const known = await request(t.app)
      .post('/api/auth/password-reset')
      .send({ email: 'ada@school.example' })
      .expect(202);
    expect(unknown.body).toEqual(known.body);
    await mail.waitForMail('ada@school.example', (m) => /Reset/.test(m.subject));
    expect(mail.mails.slice(before).map((m) => m.to)).toEqual(['ada@school.example']);
  });

  it('expires a link after 30 minutes', async () => {
    await registerThroughApi(t.app, { email: 'late@school.example' });
    await request(t.app)
      .post('/api/auth/password-reset')
      .send({ email: 'late@school.example' })
      .expect(202);
    const reset = await mail.waitForMail('late@school.example', (m) => /Reset/.test(m.subject));
    t.clock.advance(31 * 60 * 1000);
    const expired = await request(t.app)
      .post('/api/auth/password-reset/confirm')
      .send({ token: tokenOf(linkIn(reset, 'reset-password')), password: NEW_PASSWORD })
      .expect(400);
    expect(expired.body.error.code).toBe('auth.link_invalid');
  });

  it('sends at most three reset mails an hour per account, answering the same', async () => {
    await registerThroughApi(t.app, { email: 'many@school.example' });
    for (let i = 0; i < 5; i += 1) {
      await request(t.app)
        .post('/api/auth/password-reset')
        .send({ email: 'many@school.example' })
        .expect(202);
    }
    await expect
      .poll(
        () =>
          mail.mails.filter((m) => m.to === 'many@school.example' && /Reset/.test(m.subject))
            .length,
      )
      .toBe(3);
    const user = await findUserByEmail(t.database.db, 'many@school.example');
    expect(user?.passwordHash).toBeTruthy();
  });
});

describe('without an SMTP server', () => {
  let plain: TestApp;
  beforeAll(async () => {
    plain = await createTestApp({ ADMIN_EMAIL: 'head@school.example' }, t);
  });

  it('says mail is not set up, and an admin can issue a reset link to hand over', async () => {
    const student = await registerThroughApi(plain.app, { email: 'noah@school.example' });
    expect(student.body.user.emailVerified).toBe(false);
    const refused = await request(plain.app)
      .post('/api/auth/password-reset')
      .send({ email: 'noah@school.example' })
      .expect(503);
    expect(refused.body.error.message).toMatch(/Ask your teacher for a password reset link/);

    // head@ was verified by email in the first app (same database).
    const admin = await request(plain.app)
      .post('/api/auth/login')
      .send({ email: 'head@school.example', password: PASSWORD })
      .expect(200);
    const issued = await request(plain.app)
      .post(`/api/admin/users/${student.body.user.id}/reset-link`)
      .set(bearer(admin.body.accessToken))
      .expect(201);
    expect(issued.body.url).toMatch(/^http:\/\/localhost:3000\/reset-password#token=/);
    await request(plain.app)
      .post('/api/auth/password-reset/confirm')
      .send({ token: tokenOf(issued.body.url), password: NEW_PASSWORD })
      .expect(204);
    const signedIn = await request(plain.app)
      .post('/api/auth/login')
      .send({ email: 'noah@school.example', password: NEW_PASSWORD })
      .expect(200);
    // Handed over by an admin: nothing shows the mailbox is the student's.
    expect(signedIn.body.user.emailVerified).toBe(false);
  });
});

describe('EMAIL_VERIFICATION=everyone', () => {
  let strict: TestApp;
  beforeAll(async () => {
    strict = await createTestApp({ SMTP_URL: mail.url, EMAIL_VERIFICATION: 'everyone' });
  });
  afterAll(() => strict.close());

  it('lets an unverified account sign in and ask for a link, and nothing else until verified', async () => {
    const student = await registerThroughApi(strict.app, { email: 'strict@school.example' });
    const refused = await request(strict.app)
      .get('/api/modules')
      .set(bearer(student.accessToken))
      .expect(403);
    expect(refused.body.error).toMatchObject({
      code: 'auth.email_not_verified',
      message: expect.stringContaining('strict@school.example'),
    });
    const baseUrl = await strict.listen();
    await expect(connectClient(baseUrl, student.accessToken)).rejects.toThrow(
      'auth.email_not_verified',
    );
    await request(strict.app).get('/api/auth/me').set(bearer(student.accessToken)).expect(200);

    const link = linkIn(await mail.waitForMail('strict@school.example'), 'verify-email');
    await request(strict.app)
      .post('/api/auth/verify-email')
      .send({ token: tokenOf(link) })
      .expect(204);
    await request(strict.app).get('/api/modules').set(bearer(student.accessToken)).expect(200);
    const socket = await connectClient(baseUrl, student.accessToken);
    socket.close();
  });
});
