import { createRequire } from 'node:module';
import type * as Api from '@opentelemetry/api';
import type * as SdkNode from '@opentelemetry/sdk-node';
import type * as SdkTrace from '@opentelemetry/sdk-trace';
import type * as Exporter from '@opentelemetry/exporter-trace-otlp-http';
import type * as Http from '@opentelemetry/instrumentation-http';
import type * as ExpressInstrumentation from '@opentelemetry/instrumentation-express';
import type * as Pg from '@opentelemetry/instrumentation-pg';
import type * as Undici from '@opentelemetry/instrumentation-undici';
import { installTracingHooks } from './tracing-hooks.js';

export interface TracingSettings {
  /** OTLP/HTTP base URL, e.g. http://otel-collector:4318 (spans go to `<url>/v1/traces`). */
  endpoint: string;
  serviceName: string;
}

export interface Tracing {
  /** Sends the spans still queued (tests; shutdown). */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** Health probes every few seconds would bury the traces worth reading. */
const UNTRACED_PATHS = new Set(['/health', '/api/health']);

/**
 * Starts OpenTelemetry: HTTP, Express, pg and fetch (the vendor SDKs) instrumented, spans sent
 * over OTLP/HTTP. Synchronous, and must run before `express` and `pg` are imported: it loads
 * them through `require` once instrumented, so the ES module imports that follow get the same
 * patched prototypes (an ESM import of a CommonJS package reuses the require cache). Everything
 * is loaded through `require` here, so nothing of OpenTelemetry loads when tracing is off.
 */
export function startTracing(settings: TracingSettings): Tracing {
  const require = createRequire(import.meta.url);
  const api = require('@opentelemetry/api') as typeof Api;
  const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof SdkNode;
  const { BatchSpanProcessor } = require('@opentelemetry/sdk-trace') as typeof SdkTrace;
  const { OTLPTraceExporter } =
    require('@opentelemetry/exporter-trace-otlp-http') as typeof Exporter;
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof Http;
  const { ExpressInstrumentation: Express } =
    require('@opentelemetry/instrumentation-express') as typeof ExpressInstrumentation;
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof Pg;
  const { UndiciInstrumentation } =
    require('@opentelemetry/instrumentation-undici') as typeof Undici;

  const processor = new BatchSpanProcessor({
    exporter: new OTLPTraceExporter({
      url: new URL('v1/traces', settings.endpoint.replace(/\/?$/, '/')).href,
    }),
  });
  const sdk = new NodeSDK({
    serviceName: settings.serviceName,
    spanProcessors: [processor],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.has(req.url?.split('?')[0] ?? ''),
      }),
      new Express(),
      // Queries outside a request or turn (timers, background jobs) would each be a lone trace.
      new PgInstrumentation({ requireParentSpan: true }),
      new UndiciInstrumentation(),
    ],
  });
  sdk.start();
  require('pg');
  require('express');

  const tracer = api.trace.getTracer('hintbook');
  const heldKey = api.createContextKey('hintbook.held-span');
  installTracingHooks({
    async traceSocketEvent(name, run) {
      const span = tracer.startSpan(name, { root: true, kind: api.SpanKind.SERVER });
      const held = { isHeld: false };
      const context = api.trace.setSpan(api.context.active(), span).setValue(heldKey, held);
      return api.context.with(context, async () => {
        try {
          return await run();
        } catch (error) {
          span.recordException(error as Error);
          span.setStatus({ code: api.SpanStatusCode.ERROR });
          throw error;
        } finally {
          if (!held.isHeld) span.end();
        }
      });
    },
    holdEventSpan() {
      const held = api.context.active().getValue(heldKey) as { isHeld: boolean } | undefined;
      const span = api.trace.getActiveSpan();
      if (!held || !span) return undefined;
      held.isHeld = true;
      return (outcome) => {
        span.setAttribute('hintbook.turn.outcome', outcome);
        if (outcome === 'failed') span.setStatus({ code: api.SpanStatusCode.ERROR });
        span.end();
      };
    },
    logFields(): Record<string, string> {
      const span = api.trace.getActiveSpan()?.spanContext();
      return span ? { traceId: span.traceId, spanId: span.spanId } : {};
    },
    shutdown: () => sdk.shutdown(),
  });
  return {
    flush: () => processor.forceFlush(),
    shutdown: () => sdk.shutdown(),
  };
}
