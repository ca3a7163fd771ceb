import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { toErrorDetails } from './error-details.js';

describe('toErrorDetails', () => {
  const schema = z.strictObject({
    title: z.string(),
    windows: z.array(z.strictObject({ start: z.string() })),
  });

  it('names each unknown key at its own path, nested ones included', () => {
    const result = schema.safeParse({
      title: 'Loops',
      descripton: 'typo',
      windows: [{ start: 'x', strat: 'y' }],
    });
    expect(result.success).toBe(false);
    const details = toErrorDetails(result.error!.issues);
    expect(details).toHaveLength(2);
    expect(details).toEqual(
      expect.arrayContaining([
        { path: 'descripton', message: '"descripton" is not a field here; check its spelling' },
        { path: 'windows.0.strat', message: '"strat" is not a field here; check its spelling' },
      ]),
    );
  });

  it('keeps other issues as they are, and the limit counts details', () => {
    const result = schema.safeParse({ title: 3, a: 1, b: 2, windows: [] });
    const details = toErrorDetails(result.error!.issues);
    expect(details.map((detail) => detail.path).sort()).toEqual(['a', 'b', 'title']);
    expect(toErrorDetails(result.error!.issues, 2)).toHaveLength(2);
  });
});
