import { z } from 'zod';

export const healthResponseSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  database: z.object({
    driver: z.enum(['pg', 'pglite']),
    reachable: z.boolean(),
    migrationsApplied: z.number().int(),
    migrationsExpected: z.number().int(),
  }),
});
export type HealthResponse = z.infer<typeof healthResponseSchema>;
