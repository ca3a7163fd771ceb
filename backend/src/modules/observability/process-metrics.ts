import { readFileSync } from 'node:fs';
import os from 'node:os';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';

let processRegistry: Registry | undefined;
let limitBytes = 0;
let limitReadAt = -Infinity;
const LIMIT_READ_EVERY_MS = 60_000;

/**
 * CPU, memory, event-loop delay, GC and handles: prom-client's defaults, plus the memory this
 * process may use (for the memory alert). Once per process, not per app: the event-loop
 * monitor and GC observer cannot be stopped, and tests build many apps.
 */
export function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
    new Gauge({
      name: 'hintbook_memory_limit_bytes',
      help: "Memory this process may use: the container's limit (cgroup), else the machine's",
      registers: [processRegistry],
      collect() {
        // Two small files read synchronously: the limit changes with a restart, not a scrape.
        const now = Date.now();
        if (now - limitReadAt >= LIMIT_READ_EVERY_MS) {
          limitBytes = memoryLimitBytes();
          limitReadAt = now;
        }
        this.set(limitBytes);
      },
    });
  }
  return processRegistry;
}

const CGROUP_LIMIT_FILES = [
  '/sys/fs/cgroup/memory.max', // cgroup v2
  '/sys/fs/cgroup/memory/memory.limit_in_bytes', // cgroup v1
];

function memoryLimitBytes(): number {
  const machine = os.totalmem();
  for (const file of CGROUP_LIMIT_FILES) {
    try {
      const limit = Number(readFileSync(file, 'utf8').trim()); // "max" → NaN: no limit
      if (Number.isFinite(limit) && limit > 0) return Math.min(limit, machine);
    } catch {
      // Not this cgroup version, or not Linux.
    }
  }
  return machine;
}
