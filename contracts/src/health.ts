import { z } from 'zod';

export const healthResponseSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  database: z.object({
    driver: z.enum(['pg', 'pglite']),
    reachable: z.boolean(),
    migrationsApplied: z.number().int(),
    migrationsExpected: z.number().int(),
  }),
  /** This replica is shutting down (a rolling upgrade): new work goes to another one. */
  draining: z.boolean().optional(),
});
export type HealthResponse = z.infer<typeof healthResponseSchema>;
