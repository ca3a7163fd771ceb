import type {
  AdminProviderName,
  AiSettings,
  AiSettingsResponse,
  ChatLimitsSettings,
  UpdateAiSettingsBody,
} from '@hintbook/contracts';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The PUT body for a saved form: a part equal to the environment's value drops its override
 * (`null`); limits send every key that differs from the default now or did before (the server
 * merges partial limits into the existing override).
 */
export function settingsUpdate(
  current: AiSettingsResponse,
  next: AiSettings,
): UpdateAiSettingsBody {
  const { defaults, settings } = current;
  const body: UpdateAiSettingsBody = {};
  body.chain = same(next.chain, defaults.chain) ? null : next.chain;
  body.models = same(sortModels(next.models), sortModels(defaults.models)) ? null : next.models;

  const limitKeys = Object.keys(next.limits) as Array<keyof ChatLimitsSettings>;
  const changed = limitKeys.filter(
    (key) =>
      next.limits[key] !== defaults.limits[key] || settings.limits[key] !== defaults.limits[key],
  );
  const isAllDefault = limitKeys.every((key) => next.limits[key] === defaults.limits[key]);
  body.limits = isAllDefault
    ? null
    : Object.fromEntries(changed.map((key) => [key, next.limits[key]]));
  return body;
}

function sortModels(models: AiSettings['models']) {
  return Object.fromEntries(
    (Object.keys(models) as AdminProviderName[]).sort().map((key) => [key, models[key]]),
  );
}
