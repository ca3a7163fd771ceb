import { describe, expect, it } from 'vitest';
import { registerBodySchema, updateProfileBodySchema } from './auth.js';

describe('registerBodySchema', () => {
  it('trims the email and defaults both levels', () => {
    const parsed = registerBodySchema.parse({
      email: '  Ada@Example.org ',
      username: 'ada',
      password: 'a long enough password',
    });
    expect(parsed.email).toBe('Ada@Example.org');
    expect(parsed.programmingLevel).toBe(2);
    expect(parsed.mathsLevel).toBe(2);
  });

  it('rejects a level outside 1-5 and a short password with field paths', () => {
    const result = registerBodySchema.safeParse({
      email: 'ada@example.org',
      username: 'ada',
      password: 'short',
      programmingLevel: 7,
    });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['password', 'programmingLevel']));
  });
});

describe('updateProfileBodySchema', () => {
  it('refuses an empty update and unknown fields', () => {
    expect(updateProfileBodySchema.safeParse({}).success).toBe(false);
    expect(updateProfileBodySchema.safeParse({ isAdmin: true }).success).toBe(false);
  });
});
