import { performance } from 'node:perf_hooks';
import type { Scrape } from './metrics-side-by-side.js';

/** The metrics token both metrics benches start their metrics-on backend with. */
export const METRICS_TOKEN = 'bench-metrics-token-0123456789abcdef';

/**
 * GET /metrics with the token every `everyMs`, as Prometheus would, until stopped. Each scrape's
 * start and end are kept on the fake's clock (`clockOffsetMs`), where the turns' times are.
 */
export function startScraper(url: string, everyMs: number, clockOffsetMs: number) {
  const samples: Scrape[] = [];
  const failures: string[] = [];
  let isStopped = false;
  let wake = () => {};
  const done = (async () => {
    for (;;) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, everyMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (isStopped) return;
      const before = performance.now();
      const headers = { authorization: `Bearer ${METRICS_TOKEN}` };
      const response = await fetch(url, { headers }).catch(() => undefined);
      const body = (await response?.text()) ?? '';
      const after = performance.now();
      if (response?.ok)
        samples.push({
          ms: after - before,
          bytes: body.length,
          startAt: before + clockOffsetMs,
          endAt: after + clockOffsetMs,
        });
      else failures.push(response ? `HTTP ${response.status}` : 'no answer');
    }
  })();
  return {
    samples,
    failures,
    async stop() {
      isStopped = true;
      wake();
      await done;
    },
  };
}
