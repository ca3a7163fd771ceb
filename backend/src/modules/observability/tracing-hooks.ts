/**
 * The few places that mark traces (socket events, the end of a turn, log lines) call these.
 * They do nothing until tracing.ts installs an implementation, which it does only when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set: without it no OpenTelemetry code is even loaded.
 */
export interface TracingHooks {
  /** Runs a socket event's handler as the root span of a new trace. */
  traceSocketEvent<T>(name: string, run: () => Promise<T>): Promise<T>;
  /**
   * Called when a turn starts inside a traced event: that span now ends with the turn (its
   * last delta and terminal event), not when the event's handler returns.
   */
  holdEventSpan(): ((outcome: string) => void) | undefined;
  /** Trace and span ids for the current log line. */
  logFields(): Record<string, string>;
  /** Sends the spans still queued; main.ts awaits it before exiting. */
  shutdown(): Promise<void>;
}

const untraced: TracingHooks = {
  traceSocketEvent: (_name, run) => run(),
  holdEventSpan: () => undefined,
  logFields: () => ({}),
  shutdown: async () => {},
};

export let tracingHooks: TracingHooks = untraced;

export function installTracingHooks(hooks: TracingHooks): void {
  tracingHooks = hooks;
}
