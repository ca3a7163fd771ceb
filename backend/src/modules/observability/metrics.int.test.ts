import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeServer } from '../../test/fake-providers/index.js';
import { registerThroughApi, type SignedInUser } from '../../test/factories.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { hasSeries, parsePrometheusText, valueOf } from '../../test/prometheus-text.js';
import { connectClient } from '../../test/socket-client.js';

const TOKEN = 'metrics-token-for-the-test-0123456789';
const CLASSIFICATION = {
  isNewProblem: true,
  isElaborationRequest: false,
  showedEffort: false,
  difficulty: { programming: 2, maths: 1 },
  problemSummary: 'sum a list',
};

describe('Prometheus metrics on METRICS_PORT', () => {
  let fake: FakeServer;
  let t: TestApp;
  let metricsUrl: string;
  let user: SignedInUser;

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    fake.setDefault({ chunks: ['Think', ' about', ' a', ' loop.'], structured: CLASSIFICATION });
    t = await createTestApp(
      {
        LLM_PROVIDER: 'openai',
        OPENAI_API_KEY: 'k',
        OPENAI_BASE_URL: fake.baseUrl,
        METRICS_PORT: '0',
        METRICS_TOKEN: TOKEN,
        MONTHLY_BUDGET_USD: '20',
      },
      undefined,
      // Retries back off at once: the failing-provider case ends quickly.
      { ai: { sleep: async () => {} } },
    );
    const server = t.hintbook.metricsServer!;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    metricsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
    user = await registerThroughApi(t.app);
  });
  afterAll(async () => {
    await new Promise((resolve) => t.hintbook.metricsServer!.close(resolve));
    await t.close();
    await fake.close();
  });

  const scrape = async () => {
    const response = await fetch(metricsUrl, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    return { text, samples: parsePrometheusText(text) };
  };

  it('refuses a scrape without the bearer token, or with another one', async () => {
    expect((await fetch(metricsUrl)).status).toBe(401);
    const wrong = await fetch(metricsUrl, { headers: { Authorization: 'Bearer not-the-token' } });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain('hintbook_');
  });

  it('is not served on the public port', async () => {
    const response = await request(t.app).get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
    expect(response.status).not.toBe(200);
    expect(response.text).not.toContain('hintbook_http_request_duration_seconds');
  });

  it('after a tutor turn holds the turn, first-token, provider, HTTP and database series', async () => {
    const unmatched = { route: 'unmatched', status_class: '4xx' };
    const unmatchedBefore = valueOf(
      (await scrape()).samples,
      'hintbook_http_responses_total',
      unmatched,
    );
    const client = await connectClient(await t.listen(), user.accessToken);
    const ack = (await client.socket.timeout(5_000).emitWithAck('chat:send', {
      clientMessageId: randomUUID(),
      content: 'How do I add up the numbers in a list?',
    } as never)) as { ok: boolean; turnId: string; sessionId: string };
    expect(ack.ok).toBe(true);
    const done = await client.terminalOf(ack.turnId);
    expect(done.name).toBe('chat:done');
    const deltas = client.eventsOf(ack.turnId).filter((event) => event.name === 'chat:delta');
    await request(t.app)
      .get(`/api/chat/sessions/${ack.sessionId}/messages`)
      .set('Authorization', `Bearer ${user.accessToken}`)
      .expect(200);
    await request(t.app).get('/api/no-such-thing').expect(404);

    // Database gauges are read on their own timers, not by the scrape (the first read counted 0).
    await t.hintbook.refreshMetricGaugesNow();
    // The classification runs beside the answer and may end just after chat:done.
    let scraped = await scrape();
    for (let i = 0; i < 50; i++) {
      if (valueOf(scraped.samples, 'hintbook_ai_calls_total', { kind: 'classification' }) > 0)
        break;
      await new Promise((resolve) => setTimeout(resolve, 50));
      scraped = await scrape();
    }
    const { samples, text } = scraped;

    expect(valueOf(samples, 'hintbook_turns_started_total')).toBe(1);
    expect(
      valueOf(samples, 'hintbook_turns_ended_total', { outcome: 'completed', code: 'none' }),
    ).toBe(1);
    expect(valueOf(samples, 'hintbook_turn_first_token_seconds_count')).toBe(1);
    expect(valueOf(samples, 'hintbook_turn_first_token_seconds_sum')).toBeGreaterThan(0);
    expect(valueOf(samples, 'hintbook_turn_duration_seconds_count', { outcome: 'completed' })).toBe(
      1,
    );
    expect(valueOf(samples, 'hintbook_turn_deltas_sent_total')).toBe(deltas.length);
    expect(deltas.length).toBeGreaterThan(0);
    expect(valueOf(samples, 'hintbook_socket_connections')).toBe(1);

    const answer = { provider: 'openai', model: 'gpt-5-mini', kind: 'answer' };
    expect(
      valueOf(samples, 'hintbook_ai_calls_total', { ...answer, outcome: 'ok', error_kind: 'none' }),
    ).toBe(1);
    expect(valueOf(samples, 'hintbook_ai_call_duration_seconds_count', answer)).toBe(1);
    expect(
      valueOf(samples, 'hintbook_ai_calls_total', {
        provider: 'openai',
        model: 'gpt-5-nano',
        kind: 'classification',
        outcome: 'ok',
      }),
    ).toBe(1);
    expect(
      valueOf(samples, 'hintbook_ai_tokens_total', { ...answer, direction: 'input' }),
    ).toBeGreaterThan(0);
    expect(
      valueOf(samples, 'hintbook_ai_tokens_total', { ...answer, direction: 'output' }),
    ).toBeGreaterThan(0);
    expect(valueOf(samples, 'hintbook_ai_cost_usd_total', answer)).toBeGreaterThan(0);
    expect(
      valueOf(samples, 'hintbook_ai_circuit_state', {
        provider: 'openai',
        state: 'closed',
        primary: 'true',
      }),
    ).toBe(1);
    expect(valueOf(samples, 'hintbook_ai_budget_usd')).toBe(20);
    const remaining = valueOf(samples, 'hintbook_ai_budget_remaining_usd');
    expect(remaining).toBeLessThan(20);
    expect(remaining).toBeGreaterThan(19);
    expect(valueOf(samples, 'hintbook_active_students', { window: '15m' })).toBe(1);

    expect(
      valueOf(samples, 'hintbook_http_request_duration_seconds_count', {
        route: '/api/auth/register',
        method: 'POST',
      }),
    ).toBe(1);
    expect(
      valueOf(samples, 'hintbook_http_responses_total', {
        route: '/api/chat/sessions/:id/messages',
        method: 'GET',
        status_class: '2xx',
      }),
    ).toBe(1);
    expect(valueOf(samples, 'hintbook_http_responses_total', unmatched)).toBe(unmatchedBefore + 1);
    // Bounded labels: no raw path, no id of anyone or anything.
    for (const id of [ack.sessionId, ack.turnId, user.body.user.id]) expect(text).not.toContain(id);
    expect(text).not.toContain('no-such-thing');

    expect(valueOf(samples, 'hintbook_db_query_duration_seconds_count')).toBeGreaterThan(10);
    expect(valueOf(samples, 'hintbook_db_up')).toBe(1);
    // Only the pg driver has a pool (PGlite is one in-process connection).
    if (t.database.driver === 'pg')
      expect(hasSeries(samples, 'hintbook_db_pool_connections', { state: 'in_use' })).toBe(true);
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_p99_seconds',
      'hintbook_memory_limit_bytes',
    ])
      expect(hasSeries(samples, name), name).toBe(true);
    client.close();
  });

  it('counts a failed turn with its error code when the provider keeps failing', async () => {
    fake.setDefault({ error: { status: 500 } });
    const client = await connectClient(await t.listen(), user.accessToken);
    const ack = (await client.socket.timeout(5_000).emitWithAck('chat:send', {
      clientMessageId: randomUUID(),
      content: 'Why does my loop never stop?',
    } as never)) as { turnId: string };
    const end = await client.terminalOf(ack.turnId);
    expect(end.name).toBe('chat:error');
    const { samples } = await scrape();
    expect(
      valueOf(samples, 'hintbook_turns_ended_total', {
        outcome: 'failed',
        code: 'ai.provider_unavailable',
      }),
    ).toBe(1);
    expect(
      valueOf(samples, 'hintbook_ai_calls_total', {
        kind: 'answer',
        outcome: 'error',
        error_kind: 'server',
      }),
    ).toBeGreaterThan(0);
    client.close();
  });
});
