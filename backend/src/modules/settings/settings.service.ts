import type {
  AiSettingsResponse,
  ProviderStatus,
  ProviderTestResponse,
  UpdateAiSettingsBody,
} from '@hintbook/contracts';
import type { CircuitBreakers } from '../../ai/circuit-breaker.js';
import { DEMO_MODEL, type ProviderRegistry } from '../../ai/registry.js';
import { streamWithFallback, type CallRecord } from '../../ai/resilient-stream.js';
import { ProviderError, type ProviderName } from '../../ai/types.js';
import type { Db } from '../../db/client.js';
import { withTransaction } from '../../db/transaction.js';
import type { Clock } from '../../lib/clock.js';
import { recordAudit, type AuditActor } from '../audit/audit.service.js';
import { listRecentProviderCalls, type UsageOwner } from '../usage/usage.service.js';
import { invalidChain, providerTestRateLimited, providerUnavailable } from './settings.errors.js';
import { modelsFor, SETTING_KEYS, type RuntimeSettings } from './runtime-settings.js';
import { deleteSetting, upsertSetting } from './settings.repository.js';

const ALL_PROVIDERS: ProviderName[] = ['anthropic', 'openai', 'google', 'mock'];
const STATUS_WINDOW_MS = 60 * 60_000;
const TEST_TIMEOUT_MS = 20_000;

export interface SettingsDeps {
  db: Db;
  clock: Clock;
  runtime: RuntimeSettings;
  registry: ProviderRegistry;
  breakers: CircuitBreakers;
  /** Stores a provider call's usage (and cost); awaited so a test's cost is counted at once. */
  recordCall: (owner: UsageOwner, call: CallRecord) => Promise<void>;
  /** Provider tests per admin per minute. */
  testsPerMinute?: number;
}

export async function getAiSettings(deps: SettingsDeps): Promise<AiSettingsResponse> {
  const snapshot = deps.runtime.current();
  return {
    settings: snapshot.settings,
    defaults: deps.runtime.defaults(),
    overridden: snapshot.overridden,
    providers: await getProviderStatuses(deps, snapshot.settings.chain),
    updatedAt: snapshot.updatedAt?.toISOString() ?? null,
  };
}

/** Per provider: availability, circuit, and what the last hour of real calls says. */
async function getProviderStatuses(
  deps: SettingsDeps,
  chain: ProviderName[],
): Promise<ProviderStatus[]> {
  const since = new Date(deps.clock().getTime() - STATUS_WINDOW_MS);
  const recent = new Map(
    (await listRecentProviderCalls(deps.db, since)).map((row) => [row.provider, row]),
  );
  const circuits = deps.breakers.statuses();
  const iso = (value: Date | string | null | undefined) =>
    value ? new Date(value).toISOString() : null;
  return ALL_PROVIDERS.filter(
    (name) => name !== 'mock' || deps.registry.available.includes('mock'),
  ).map((name) => {
    const row = recent.get(name);
    return {
      provider: name,
      isAvailable: deps.registry.available.includes(name),
      isInChain: chain.includes(name),
      circuit: circuits[name]?.state ?? 'closed',
      recentCalls: Number(row?.calls ?? 0),
      recentErrors: Number(row?.errors ?? 0),
      lastErrorKind: row?.lastErrorKind ?? null,
      lastErrorAt: iso(row?.lastErrorAt),
      lastSuccessAt: iso(row?.lastSuccessAt),
    };
  });
}

/**
 * Stores the admin's overrides (null: back to the environment) and reloads at once, so the
 * next turn on this replica uses them; other replicas follow within a few seconds.
 */
export async function updateAiSettings(
  deps: SettingsDeps,
  actor: AuditActor,
  body: UpdateAiSettingsBody,
): Promise<AiSettingsResponse> {
  if (body.chain) assertChainUsable(deps.registry, body.chain);
  const now = deps.clock();
  const current = deps.runtime.current();
  await withTransaction(deps.db, async (tx) => {
    const write = async (key: string, value: unknown) => {
      if (value === null) await deleteSetting(tx, key);
      else if (value !== undefined) await upsertSetting(tx, key, value, actor.id, now);
    };
    await write(SETTING_KEYS.chain, body.chain);
    await write(SETTING_KEYS.models, body.models);
    // Partial limits add to what is already overridden rather than resetting the rest.
    const limits =
      body.limits && current.overridden.limits
        ? { ...pickOverriddenLimits(current.settings.limits, deps), ...body.limits }
        : body.limits;
    await write(SETTING_KEYS.limits, limits);
    await recordAudit(
      tx,
      actor,
      { action: 'settings.update', targetType: 'settings', targetId: 'ai', details: { ...body } },
      now,
    );
  });
  await deps.runtime.reload();
  return getAiSettings(deps);
}

function pickOverriddenLimits(
  limits: AiSettingsResponse['settings']['limits'],
  deps: SettingsDeps,
) {
  const defaults = deps.runtime.defaults().limits;
  return Object.fromEntries(
    Object.entries(limits).filter(
      ([key, value]) => defaults[key as keyof typeof defaults] !== value,
    ),
  );
}

function assertChainUsable(registry: ProviderRegistry, chain: ProviderName[]) {
  if (new Set(chain).size !== chain.length) throw invalidChain('A provider appears twice');
  for (const name of chain) {
    if (!registry.available.includes(name)) throw providerUnavailable(name);
  }
}

const recentTests = new WeakMap<SettingsDeps, Map<string, number[]>>();

/** A tiny real call through one provider, counted as usage (`provider_test`) and audited. */
export async function testProvider(
  deps: SettingsDeps,
  actor: AuditActor,
  name: ProviderName,
): Promise<ProviderTestResponse> {
  if (!deps.registry.available.includes(name)) throw providerUnavailable(name);
  assertTestAllowed(deps, actor.id);
  const provider = deps.registry.get(name)!;
  const { model } = modelsFor(deps.runtime.current().settings, name, DEMO_MODEL);
  const startedAt = performance.now();
  const records: Promise<void>[] = [];
  let error: string | undefined;
  try {
    for await (const event of streamWithFallback(
      [{ provider, model }],
      {
        system: 'You are a connectivity check. Answer with the single word OK.',
        messages: [{ role: 'user', content: 'Say OK.' }],
        maxOutputTokens: 16,
      },
      {
        signal: AbortSignal.timeout(TEST_TIMEOUT_MS),
        purpose: 'provider_test',
        maxRetries: 0,
        firstTokenMs: TEST_TIMEOUT_MS,
        tokenGapMs: TEST_TIMEOUT_MS,
        onCall: (call) => records.push(deps.recordCall({ userId: actor.id }, call)),
      },
    )) {
      void event;
    }
  } catch (caught) {
    const cause = (caught as { lastError?: unknown }).lastError ?? caught;
    error = cause instanceof ProviderError ? cause.kind : 'failed';
  }
  await Promise.all(records);
  const latencyMs = Math.round(performance.now() - startedAt);
  const result: ProviderTestResponse = {
    ok: !error,
    provider: name,
    model,
    latencyMs,
    ...(error ? { error } : {}),
  };
  await recordAudit(
    deps.db,
    actor,
    {
      action: 'provider.test',
      targetType: 'provider',
      targetId: name,
      details: { ok: result.ok, model, ...(error ? { error } : {}) },
    },
    deps.clock(),
  );
  return result;
}

/** In-process sliding window per admin: a test costs money, so a stuck button must not loop. */
function assertTestAllowed(deps: SettingsDeps, adminId: string) {
  const limit = deps.testsPerMinute ?? 5;
  let perAdmin = recentTests.get(deps);
  if (!perAdmin) recentTests.set(deps, (perAdmin = new Map()));
  const now = deps.clock().getTime();
  const recent = (perAdmin.get(adminId) ?? []).filter((at) => now - at < 60_000);
  if (recent.length >= limit) {
    throw providerTestRateLimited(Math.ceil((recent[0]! + 60_000 - now) / 1000));
  }
  recent.push(now);
  perAdmin.set(adminId, recent);
}
