/** Told of every query's duration and whether it succeeded (metrics; see observability/). */
export type QueryListener = (seconds: number, isOk: boolean) => void;

type QueryFn = (...args: unknown[]) => unknown;

/**
 * Wraps a driver's `query` so each call is timed. pg calls it with a callback (pool.query) or
 * for a promise (drizzle); both are timed. Streams (cursors) pass through untimed. With no
 * listener set the cost is one property read.
 */
export function timeQueries(
  target: { query: QueryFn },
  listener: () => QueryListener | undefined,
): void {
  const query = target.query.bind(target);
  target.query = (...args: unknown[]) => {
    const listen = listener();
    if (!listen) return query(...args);
    const started = process.hrtime.bigint();
    const done = (isOk: boolean) => listen(Number(process.hrtime.bigint() - started) / 1e9, isOk);
    const last = args.at(-1);
    if (typeof last === 'function') {
      args[args.length - 1] = (error: unknown, ...rest: unknown[]) => {
        done(!error);
        return (last as QueryFn)(error, ...rest);
      };
      return query(...args);
    }
    const result = query(...args);
    if (result && typeof (result as Promise<unknown>).then === 'function')
      (result as Promise<unknown>).then(
        () => done(true),
        () => done(false),
      );
    return result;
  };
}
