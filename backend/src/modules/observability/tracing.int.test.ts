import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTracing, type Tracing } from './tracing.js';

/**
 * Traces through the real app into a local OTLP/HTTP receiver. Tracing starts before the app's
 * modules load (they are imported after it, as main.ts does through tracing-preload.ts).
 */

interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
}

/** An OTLP/HTTP collector: JSON bodies posted to /v1/traces, kept in arrival order. */
async function startOtlpReceiver() {
  const spans: ReceivedSpan[] = [];
  const contentTypes = new Set<string>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      contentTypes.add(String(req.headers['content-type']));
      if (req.url === '/v1/traces') {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          resourceSpans: Array<{ scopeSpans: Array<{ spans: ReceivedSpan[] }> }>;
        };
        for (const resource of body.resourceSpans)
          for (const scope of resource.scopeSpans) spans.push(...scope.spans);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    contentTypes,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

const attribute = (span: ReceivedSpan, key: string): string | undefined => {
  const value = span.attributes.find((entry) => entry.key === key)?.value.stringValue;
  return typeof value === 'string' ? value : undefined;
};

describe('OpenTelemetry traces (OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let tracing: Tracing;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    tracing = startTracing({ endpoint: receiver.url, serviceName: 'hintbook-test' });
  });
  afterAll(async () => {
    await tracing.shutdown();
    await receiver.close();
  });

  it('makes each tutor turn one trace, from chat:send through the database and the provider to its end', async () => {
    const { startFakeOpenAI } = await import('../../test/fake-providers/index.js');
    const { createTestApp } = await import('../../test/harness.js');
    const { registerThroughApi } = await import('../../test/factories.js');
    const { connectClient } = await import('../../test/socket-client.js');
    const fake = await startFakeOpenAI();
    fake.setDefault({ chunks: ['Try', ' a', ' loop.'] });
    const t = await createTestApp({
      LLM_PROVIDER: 'openai',
      OPENAI_API_KEY: 'k',
      OPENAI_BASE_URL: fake.baseUrl,
    });
    try {
      const user = await registerThroughApi(t.app);
      const client = await connectClient(await t.listen(), user.accessToken);
      const turnIds: string[] = [];
      let sessionId: string | undefined;
      for (const content of ['How do I add numbers?', 'And how do I multiply them?']) {
        const ack = (await client.socket.timeout(5_000).emitWithAck('chat:send', {
          clientMessageId: randomUUID(),
          content,
          ...(sessionId ? { sessionId } : {}),
        } as never)) as { turnId: string; sessionId: string };
        sessionId = ack.sessionId;
        turnIds.push(ack.turnId);
        expect((await client.terminalOf(ack.turnId)).name).toBe('chat:done');
      }
      client.close();
      await tracing.flush();

      const roots = receiver.spans.filter((span) => span.name === 'chat:send');
      expect(roots).toHaveLength(2);
      expect(new Set(roots.map((root) => root.traceId)).size).toBe(2);
      for (const root of roots) {
        expect(root.parentSpanId ?? '').toBe('');
        const inTrace = receiver.spans.filter((span) => span.traceId === root.traceId);
        const answerCall = inTrace.find((span) =>
          attribute(span, 'url.full')?.startsWith(`${fake.baseUrl}/chat/completions`),
        );
        expect(answerCall, 'the provider call is in the turn trace').toBeDefined();
        expect(
          root.attributes.find((entry) => entry.key === 'hintbook.turn.outcome')?.value,
        ).toEqual({ stringValue: 'completed' });
        if (t.database.driver === 'pg')
          expect(
            inTrace.some(
              (span) =>
                attribute(span, 'db.system.name') === 'postgresql' ||
                attribute(span, 'db.system') === 'postgresql',
            ),
          ).toBe(true);
      }
      expect([...receiver.contentTypes]).toEqual(['application/json']);
    } finally {
      await t.close();
      await fake.close();
    }
    // The app's modules are imported (and the database migrated) inside this test.
  }, 90_000);

  it('puts the trace id in log lines written inside a trace', async () => {
    const { createLogger } = await import('../../lib/logger.js');
    const { tracingHooks } = await import('./tracing-hooks.js');
    const lines: string[] = [];
    const logger = createLogger(
      'info',
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString('utf8'));
          done();
        },
      }),
    );
    await tracingHooks.traceSocketEvent('chat:stop', async () => {
      logger.info('inside a traced event');
    });
    logger.info('outside any trace');
    await tracing.flush();
    const root = receiver.spans.find((span) => span.name === 'chat:stop');
    const [inside, outside] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(inside).toMatchObject({ traceId: root?.traceId, spanId: root?.spanId });
    expect(outside).not.toHaveProperty('traceId');
  });
});
