import type { AdminProviderName, AiSettings } from '@hintbook/contracts';
import { FormField } from '../../../components/FormField';
import { providerLabel } from '../provider-labels';

interface ModelsFieldsProps {
  providers: AdminProviderName[];
  models: AiSettings['models'];
  defaults: AiSettings['models'];
  isOverridden: boolean;
  onChange(models: AiSettings['models']): void;
}

/** The answer model and the small (classification, summary) model of each provider. */
export function ModelsFields({
  providers,
  models,
  defaults,
  isOverridden,
  onChange,
}: ModelsFieldsProps) {
  function update(provider: AdminProviderName, field: 'model' | 'smallModel', value: string) {
    const current = models[provider] ?? defaults[provider] ?? { model: '', smallModel: '' };
    onChange({ ...models, [provider]: { ...current, [field]: value } });
  }

  return (
    <div className="stack-small">
      <p className="field-hint">
        {isOverridden ? 'Saved models override the environment.' : 'The environment’s models.'}
      </p>
      {providers.map((provider) => {
        const value = models[provider];
        const fallback = defaults[provider];
        return (
          <div key={provider} className="settings-grid">
            <FormField
              label={`${providerLabel(provider)} answer model`}
              value={value?.model ?? ''}
              hint={`Environment default: ${fallback?.model ?? 'none'}`}
              onChange={(event) => update(provider, 'model', event.target.value)}
            />
            <FormField
              label={`${providerLabel(provider)} small model`}
              value={value?.smallModel ?? ''}
              hint={`Environment default: ${fallback?.smallModel ?? 'none'}`}
              onChange={(event) => update(provider, 'smallModel', event.target.value)}
            />
          </div>
        );
      })}
    </div>
  );
}
