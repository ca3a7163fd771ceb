import { collectDefaultMetrics, Registry } from 'prom-client';

let processRegistry: Registry | undefined;

/**
 * CPU, memory, event-loop delay, GC and handles: prom-client's defaults. Once per process, not
 * per app: their event-loop monitor and GC observer cannot be stopped, and tests build many apps.
 */
export function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}
