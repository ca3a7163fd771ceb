import { execFileSync } from 'node:child_process';

/**
 * `--pin`: the serving replica gets CPU 0 to itself, and everything else the bench measures
 * against (the client workers, the fake provider, the other replica, PostgreSQL and Redis) shares
 * the rest. "Streams one replica holds" then means what it means on separate machines: what
 * the replica's own core carries, with the adapter's work in it, and the neighbours' work (which
 * other machines would do) kept off that core. Without it, on a 2-core machine the idle replica
 * and Redis take CPU from the loaded one and the ratio is a floor.
 *
 * Affinities of the database and Redis servers are restored when the bench ends; their new
 * connections' processes inherit the postmaster's, so it is set before the backends connect.
 */
export function createCpuPinning(cpuCount: number) {
  if (cpuCount < 2) throw new Error('--pin needs at least 2 CPUs');
  const servingCpu = '0';
  const restCpus = cpuCount === 2 ? '1' : `1-${cpuCount - 1}`;
  const restored = new Map<number, string>();
  const set = (pid: number, cpus: string) =>
    execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
  const current = (pid: number) =>
    /: ([\d,-]+)\s*$/.exec(execFileSync('taskset', ['-p', '-c', String(pid)]).toString())?.[1];
  return {
    describe: `serving replica on CPU ${servingCpu}; clients, fake, other replica, PostgreSQL and Redis on CPU ${restCpus}`,
    serving: (pid: number) => set(pid, servingCpu),
    rest: (pid: number | undefined) => {
      if (pid) set(pid, restCpus);
    },
    /** A server this bench did not start: pinned now, given back its affinity by `restore`. */
    server: (pid: number | undefined) => {
      if (!pid || restored.has(pid)) return;
      const before = current(pid);
      if (!before) return;
      restored.set(pid, before);
      set(pid, restCpus);
    },
    restore: () => {
      for (const [pid, cpus] of restored) {
        try {
          set(pid, cpus);
        } catch {
          // Gone meanwhile: nothing to give back.
        }
      }
      restored.clear();
    },
  };
}

export type CpuPinning = ReturnType<typeof createCpuPinning>;

/** The oldest process of that name (the postmaster, the redis-server), if one runs here. */
export function oldestProcess(name: string): number | undefined {
  try {
    const pid = Number(execFileSync('pgrep', ['-o', '-x', name]).toString().trim());
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
