import { describe, expect, it } from 'vitest';
import { ConfigError, configWarnings, loadConfig } from './env.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('runs with no settings at all outside production (embedded database, generated secret)', () => {
    const config = loadConfig({});
    expect(config.database.url).toBeUndefined();
    expect(config.auth.bcryptRounds).toBe(12);
    expect(config.auth.accessTokenTtlSeconds).toBe(900);
    expect(config.auth.registrationMode).toBe('open');
  });

  it('in production lists every problem at once: missing secret and missing DATABASE_URL', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    expect(problems).toEqual([
      'JWT_SECRET_KEY is required in production',
      expect.stringMatching(/^DATABASE_URL is required in production/),
    ]);
  });

  it('in production refuses a placeholder or short secret with a readable reason', () => {
    const base = { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/hintbook' };
    expect(problemsOf({ ...base, JWT_SECRET_KEY: 'change-me' })[0]).toMatch(/placeholder/);
    expect(problemsOf({ ...base, JWT_SECRET_KEY: 'x'.repeat(40) })[0]).toMatch(/placeholder/);
    expect(problemsOf({ ...base, JWT_SECRET_KEY: 'short-but-random-9f8a' })[0]).toMatch(
      /is 21 characters; use at least 32/,
    );
    expect(problemsOf({ ...base, JWT_SECRET_KEY: 'k3Jd9-fq0PzVb1xW7rTn2mLc8YhGs4Ae' })).toEqual([]);
  });

  it('in production refuses placeholder ADMIN_EMAIL addresses like the one in .env.example', () => {
    const base = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://db/hintbook',
      JWT_SECRET_KEY: 'k3Jd9-fq0PzVb1xW7rTn2mLc8YhGs4Ae',
    };
    expect(problemsOf({ ...base, ADMIN_EMAIL: 'teacher@school.example' })).toEqual([
      "ADMIN_EMAIL lists placeholder address teacher@school.example: list your admins' real addresses",
    ]);
    for (const placeholder of [
      'a@example.com',
      'b@mail.example.org',
      'c@school.test',
      'd@x.invalid',
    ]) {
      expect(problemsOf({ ...base, ADMIN_EMAIL: `head@school.edu, ${placeholder}` })[0]).toMatch(
        /^ADMIN_EMAIL lists placeholder/,
      );
    }
    expect(problemsOf({ ...base, ADMIN_EMAIL: 'head@school.edu, it@myexample.com' })).toEqual([]);
    // Outside production the same addresses are fine: tests and demos use them.
    expect(problemsOf({ ADMIN_EMAIL: 'teacher@school.example' })).toEqual([]);
  });

  it('refuses ADMIN_EMAIL entries that are not addresses', () => {
    expect(problemsOf({ ADMIN_EMAIL: 'head@school.edu, teacher' })).toEqual([
      'ADMIN_EMAIL has entries that are not email addresses: teacher',
    ]);
  });

  it('refuses a metrics port when recording is off, and turns recording off on request', () => {
    expect(problemsOf({ METRICS_RECORDING: 'off', METRICS_PORT: '9464' })).toEqual([
      'METRICS_PORT is set but METRICS_RECORDING=off: the scrape would be empty',
    ]);
    expect(loadConfig({}).observability.isRecording).toBe(true);
    expect(loadConfig({ METRICS_RECORDING: 'off' }).observability.isRecording).toBe(false);
  });

  it('reports wrong types per variable', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      BCRYPT_ROUNDS: '99',
      REGISTRATION_MODE: 'maybe',
    });
    expect(problems.map((problem) => problem.split(' ')[0])).toEqual([
      'PORT',
      'BCRYPT_ROUNDS',
      'REGISTRATION_MODE',
    ]);
  });

  it('refuses several replicas without Redis and a shared database, and says why', () => {
    expect(problemsOf({ BACKEND_REPLICAS: '3' })).toEqual([
      expect.stringMatching(/^REDIS_URL is required with BACKEND_REPLICAS=3/),
      expect.stringMatching(/^DATABASE_URL is required with BACKEND_REPLICAS=3/),
    ]);
    const config = loadConfig({
      BACKEND_REPLICAS: '3',
      REDIS_URL: 'redis://redis:6379',
      DATABASE_URL: 'postgres://hintbook@db:5432/hintbook',
    });
    expect(config.cluster).toMatchObject({
      redisUrl: 'redis://redis:6379',
      redisKeyPrefix: 'hintbook',
      replicas: 3,
    });
  });

  it('runs one process in memory, without Redis, by default', () => {
    expect(loadConfig({}).cluster).toMatchObject({ redisUrl: undefined, replicas: 1 });
    expect(problemsOf({ REDIS_URL: 'http://redis:6379' })[0]).toMatch(/^REDIS_URL/);
  });

  it('requires domains when registration is limited to domains', () => {
    expect(problemsOf({ REGISTRATION_MODE: 'domain' })[0]).toMatch(/^ALLOWED_EMAIL_DOMAINS/);
  });

  it('splits ADMIN_EMAIL on commas, spaces and semicolons and lower-cases it', () => {
    const config = loadConfig({ ADMIN_EMAIL: 'A@x.example, b@x.example;c@x.example  d@x.example' });
    expect(config.auth.adminEmails).toEqual([
      'a@x.example',
      'b@x.example',
      'c@x.example',
      'd@x.example',
    ]);
  });

  it('warns, without failing, when no LLM or embedding key is set', () => {
    const warnings = configWarnings(loadConfig({}));
    expect(warnings.join('\n')).toMatch(/No LLM provider key/);
    expect(warnings.join('\n')).toMatch(/No embedding key/);
    expect(
      configWarnings(loadConfig({ ANTHROPIC_API_KEY: 'k', COHERE_API_KEY: 'k' })).join('\n'),
    ).not.toMatch(/No LLM|No embedding/);
  });
});
