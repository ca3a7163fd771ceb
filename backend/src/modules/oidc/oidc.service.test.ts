import { describe, expect, it } from 'vitest';
import { suggestUsername } from './oidc.service.js';

describe('suggestUsername', () => {
  it.each([
    ['mo.salah@school.example', null, 'mo.salah'],
    ['zoë+maths@school.example', null, 'zoe_maths'],
    ['x@school.example', 'Ada Lovelace', 'ada_lovelace'],
    ['x@school.example', null, 'user_x'],
    [
      'a.very.long.address.that.goes.on.and.on@school.example',
      null,
      'a.very.long.address.that.goes.on',
    ],
    ['-_-@school.example', '', 'student'],
  ])('%s (%s) → %s', (email, name, expected) => {
    const username = suggestUsername(email, name);
    expect(username).toBe(expected);
    expect(username).toMatch(/^[A-Za-z0-9_.-]{3,32}$/);
  });
});
