import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { buildRegistration } from '../../test/factories.js';

describe('REGISTRATION_MODE=domain', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      REGISTRATION_MODE: 'domain',
      ALLOWED_EMAIL_DOMAINS: 'school.example, @pupils.school.example',
      ADMIN_EMAIL: 'it@gmail.example',
    });
  });
  afterAll(() => t.close());

  it('accepts addresses in the allowed domains', async () => {
    await request(t.app)
      .post('/api/auth/register')
      .send(buildRegistration({ email: 'a@school.example' }))
      .expect(201);
    await request(t.app)
      .post('/api/auth/register')
      .send(buildRegistration({ email: 'b@Pupils.School.example' }))
      .expect(201);
  });

  it('refuses other domains, including look-alike subdomains, with a clear message', async () => {
    for (const email of [
      'c@gmail.example',
      'd@evilschool.example',
      'e@school.example.evil.example',
    ]) {
      const response = await request(t.app)
        .post('/api/auth/register')
        .send(buildRegistration({ email }))
        .expect(403);
      expect(response.body.error.code).toBe('auth.email_domain_not_allowed');
      expect(response.body.error.message).toContain('@school.example');
    }
  });

  it('applies to listed admins too: their address gets no way around the domain rule', async () => {
    const response = await request(t.app)
      .post('/api/auth/register')
      .send(buildRegistration({ email: 'it@gmail.example' }))
      .expect(403);
    expect(response.body.error.code).toBe('auth.email_domain_not_allowed');
  });
});

describe('REGISTRATION_MODE=closed', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ REGISTRATION_MODE: 'closed' });
  });
  afterAll(() => t.close());

  it('refuses every registration', async () => {
    const response = await request(t.app)
      .post('/api/auth/register')
      .send(buildRegistration())
      .expect(403);
    expect(response.body.error.code).toBe('auth.registration_closed');
  });
});
