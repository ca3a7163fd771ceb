import { describe, expect, it } from 'vitest';
import { createSessionScopes } from './session-scopes.js';

const session = (id: string, userId = 'u1') => ({
  id,
  userId,
  scope: 'module_notebook' as const,
  notebookId: `copy-${id}`,
});

describe('session scopes', () => {
  it('gives a remembered conversation scope to its owner only', () => {
    const scopes = createSessionScopes();
    scopes.remember(session('s1'));
    expect(scopes.get('u1', 's1')).toEqual({ scope: 'module_notebook', notebookId: 'copy-s1' });
    expect(scopes.get('u2', 's1')).toBeUndefined();
    expect(scopes.get('u1', 's2')).toBeUndefined();
  });

  it('forgets the oldest conversation when full', () => {
    const scopes = createSessionScopes(2);
    scopes.remember(session('s1'));
    scopes.remember(session('s2'));
    scopes.remember(session('s3'));
    expect(scopes.get('u1', 's1')).toBeUndefined();
    expect(scopes.get('u1', 's2')).toBeDefined();
    expect(scopes.get('u1', 's3')).toBeDefined();
  });
});
