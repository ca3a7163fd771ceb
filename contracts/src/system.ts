import { z } from 'zod';

/**
 * The admin "System" page (GET /api/admin/system/metrics): percentiles and error rates from the
 * backend's own histograms (every replica's, when they share Redis), for schools that run no
 * Prometheus or Grafana.
 */

/**
 * A tail percentile is given only from this many observations on. Below it the one slowest
 * observation decides it, and interpolating inside that observation's histogram bucket makes up
 * a figure: one request showed as three different P50, P95 and P99.
 */
export const PERCENTILE_MIN_COUNT = { p95Ms: 20, p99Ms: 100 } as const;

/**
 * Percentiles in milliseconds; null when the window holds no observation, or fewer than
 * `PERCENTILE_MIN_COUNT` for that percentile.
 */
const percentilesSchema = z.object({
  count: z.number().int().min(0),
  p50Ms: z.number().nullable(),
  p95Ms: z.number().nullable(),
  p99Ms: z.number().nullable(),
});

export const systemEndpointStatsSchema = percentilesSchema.extend({
  /** Route template, e.g. /api/chat/sessions/:id/messages. */
  route: z.string(),
  method: z.string(),
  /** Share of responses with a 5xx status (0–1). */
  errorRate: z.number().min(0).max(1),
});
export type SystemEndpointStats = z.infer<typeof systemEndpointStatsSchema>;

export const systemProviderStatsSchema = percentilesSchema.extend({
  provider: z.string(),
  /** answer, classification, summary, embedding, provider_test. */
  kind: z.string(),
  /** Share of calls that failed (0–1); stopped calls are not failures. */
  errorRate: z.number().min(0).max(1),
});
export type SystemProviderStats = z.infer<typeof systemProviderStatsSchema>;

export const systemWindowSchema = z.object({
  /** Start of the data in this window: the window's start, or when the process started. */
  since: z.iso.datetime(),
  endpoints: z.array(systemEndpointStatsSchema),
  providers: z.array(systemProviderStatsSchema),
  firstToken: percentilesSchema.extend({
    /** How many first tokens came within each bound (ms; null: the rest). */
    distribution: z.array(z.object({ upToMs: z.number().nullable(), count: z.number().int() })),
  }),
  turns: z.object({
    completed: z.number().int(),
    interrupted: z.number().int(),
    failed: z.number().int(),
  }),
});
export type SystemWindow = z.infer<typeof systemWindowSchema>;

export const systemMetricsResponseSchema = z.object({
  generatedAt: z.iso.datetime(),
  /** When the process started; with replicas, the earliest start among those covered. */
  processStartedAt: z.iso.datetime(),
  /**
   * `process`: the answering process alone (no Redis, or Redis did not answer). `replicas`:
   * every live replica's histograms summed bucket by bucket (each shares its own through Redis).
   */
  scope: z.enum(['process', 'replicas']),
  /** How many backend processes the figures cover (1 for `process`). */
  replicas: z.number().int().min(1),
  hour: systemWindowSchema,
  day: systemWindowSchema,
});
export type SystemMetricsResponse = z.infer<typeof systemMetricsResponseSchema>;
