import { z } from 'zod';
import {
  adminProviderNameSchema,
  chatLimitsSettingsSchema,
  providerModelsSchema,
  type AiSettings,
  type ChatLimitsSettings,
  type ProviderModels,
} from '@hintbook/contracts';
import type { ProviderName } from '../../ai/types.js';
import type { Config } from '../../config/env.js';
import type { Db } from '../../db/client.js';
import type { Logger } from '../../lib/logger.js';
import type { ChatLimits } from '../usage/quota.service.js';
import { findAllSettings } from './settings.repository.js';

/** Keys in `app_settings`. */
export const SETTING_KEYS = {
  chain: 'ai.chain',
  models: 'ai.models',
  limits: 'chat.limits',
} as const;

/** How stale another replica's change may be here. */
export const SETTINGS_REFRESH_MS = 5_000;

const LIMIT_KEYS = [
  'turnsPerMinute',
  'dailyTokens',
  'weeklyTokens',
  'monthlyBudgetUsd',
  'messageMaxLength',
] as const satisfies ReadonlyArray<keyof ChatLimitsSettings>;

type VendorName = Exclude<ProviderName, 'mock'>;

export interface SettingsSnapshot {
  settings: AiSettings;
  overridden: { chain: boolean; models: boolean; limits: boolean };
  updatedAt: Date | null;
}

export interface RuntimeSettings {
  /** What is in effect now (cached; refreshed from the database at most every few seconds). */
  current(): SettingsSnapshot;
  /** The environment's values. */
  defaults(): AiSettings;
  /** Chat limits whose fields always read the current settings: hand it to code that reads `limits.x`. */
  limits: ChatLimits;
  /** Re-reads the database now (after a change made through this process). */
  reload(): Promise<SettingsSnapshot>;
}

/** The environment's settings, the base every override is merged over. */
export function defaultAiSettings(config: Config): AiSettings {
  const { providers } = config.ai;
  const models: Partial<Record<ProviderName, ProviderModels>> = {};
  for (const name of ['anthropic', 'openai', 'google'] as const) {
    models[name] = { model: providers[name].model, smallModel: providers[name].smallModel };
  }
  return {
    chain: [...config.ai.chain],
    models,
    limits: Object.fromEntries(
      LIMIT_KEYS.map((key) => [key, config.chat[key]]),
    ) as ChatLimitsSettings,
  };
}

const storedChain = z.array(adminProviderNameSchema);
const storedModels = z.partialRecord(adminProviderNameSchema, providerModelsSchema);
const storedLimits = chatLimitsSettingsSchema.partial();

/** Stored overrides over the defaults; a value that no longer validates is ignored, not fatal. */
export function mergeSettings(
  defaults: AiSettings,
  rows: Array<{ key: string; value: unknown; updatedAt: Date }>,
): SettingsSnapshot {
  const byKey = new Map(rows.map((row) => [row.key, row]));
  const chain = storedChain.safeParse(byKey.get(SETTING_KEYS.chain)?.value);
  const models = storedModels.safeParse(byKey.get(SETTING_KEYS.models)?.value);
  const limits = storedLimits.safeParse(byKey.get(SETTING_KEYS.limits)?.value);
  const updatedAt = rows.reduce<Date | null>(
    (latest, row) => (!latest || row.updatedAt > latest ? row.updatedAt : latest),
    null,
  );
  return {
    settings: {
      chain: chain.success ? chain.data : defaults.chain,
      models: { ...defaults.models, ...(models.success ? models.data : {}) },
      limits: { ...defaults.limits, ...(limits.success ? limits.data : {}) },
    },
    overridden: { chain: chain.success, models: models.success, limits: limits.success },
    updatedAt,
  };
}

/**
 * Settings from the database over the environment, effective without a restart: a change made
 * here reloads at once; changes made by another replica are picked up within
 * SETTINGS_REFRESH_MS, read lazily when someone asks (no timer to stop).
 */
export function createRuntimeSettings(deps: {
  db: Db;
  config: Config;
  logger: Logger;
}): RuntimeSettings {
  const defaults = defaultAiSettings(deps.config);
  let snapshot: SettingsSnapshot = {
    settings: defaults,
    overridden: { chain: false, models: false, limits: false },
    updatedAt: null,
  };
  let loadedAt = Number.NEGATIVE_INFINITY;
  let generation = 0;
  let inFlight: Promise<SettingsSnapshot> | undefined;

  const reload = async (): Promise<SettingsSnapshot> => {
    // A reload started before a newer one must not overwrite the newer result.
    generation += 1;
    const mine = generation;
    loadedAt = Date.now();
    const rows = await findAllSettings(deps.db);
    const next = mergeSettings(defaults, rows);
    if (mine === generation) snapshot = next;
    return snapshot;
  };

  const refreshIfStale = () => {
    if (inFlight || Date.now() - loadedAt < SETTINGS_REFRESH_MS) return;
    inFlight = reload()
      .catch((error: unknown) => {
        deps.logger.warn({ err: error }, 'could not refresh settings; keeping the cached ones');
        return snapshot;
      })
      .finally(() => {
        inFlight = undefined;
      });
  };

  const current = () => {
    refreshIfStale();
    return snapshot;
  };

  const limits = { ...deps.config.chat };
  for (const key of LIMIT_KEYS) {
    Object.defineProperty(limits, key, {
      enumerable: true,
      get: () => current().settings.limits[key],
    });
  }

  return { current, defaults: () => defaults, limits, reload };
}

/** Models for a vendor from the settings, or the demo model for `mock`. */
export function modelsFor(settings: AiSettings, name: ProviderName, demoModel: string) {
  if (name === 'mock') return { model: demoModel, smallModel: demoModel };
  return settings.models[name as VendorName] ?? { model: demoModel, smallModel: demoModel };
}
