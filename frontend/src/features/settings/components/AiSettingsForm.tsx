import { useState, type FormEvent } from 'react';
import type {
  AdminProviderName,
  AiSettings,
  AiSettingsResponse,
  ChatLimitsSettings,
} from '@hintbook/contracts';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { updateAiSettings } from '../api';
import { messageOf } from '../../../hooks/useAdminData';
import { settingsUpdate } from '../settings-diff';
import { ChainEditor } from './ChainEditor';
import { LimitsFields, limitsFromText, limitsToText, type LimitsText } from './LimitsFields';
import { ModelsFields } from './ModelsFields';

interface AiSettingsFormProps {
  current: AiSettingsResponse;
  onSaved(next: AiSettingsResponse): void;
}

/** The whole AI configuration in one form; saving takes effect at once, no restart. */
export function AiSettingsForm({ current, onSaved }: AiSettingsFormProps) {
  const [chain, setChain] = useState<AdminProviderName[]>(current.settings.chain);
  const [models, setModels] = useState<AiSettings['models']>(current.settings.models);
  const [limits, setLimits] = useState<LimitsText>(limitsToText(current.settings.limits));
  const [isSaving, setIsSaving] = useState(false);
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);
  const parsedLimits = limitsFromText(limits);

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    if (isSaving) return;
    if (!parsedLimits.ok) {
      setMessage({ tone: 'error', text: 'Some limits are not valid numbers: see the fields.' });
      return;
    }
    if (chain.length === 0) {
      setMessage({ tone: 'error', text: 'Keep at least one provider in the chain.' });
      return;
    }
    setIsSaving(true);
    setMessage(null);
    try {
      const next: AiSettings = { chain, models, limits: parsedLimits.value as ChatLimitsSettings };
      const saved = await updateAiSettings(settingsUpdate(current, next));
      onSaved(saved);
      setMessage({ tone: 'success', text: 'Saved. The new settings are in effect now.' });
    } catch (caught) {
      setMessage({ tone: 'error', text: messageOf(caught) });
    } finally {
      setIsSaving(false);
    }
  }

  function handleReset() {
    setChain(current.defaults.chain);
    setModels(current.defaults.models);
    setLimits(limitsToText(current.defaults.limits));
    setMessage({
      tone: 'success',
      text: 'The form shows the environment defaults. Save to drop the saved overrides.',
    });
  }

  return (
    <form className="stack" onSubmit={(event) => void handleSubmit(event)} noValidate>
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      <fieldset className="card">
        <legend>Provider chain</legend>
        <ChainEditor
          chain={chain}
          defaults={current.defaults.chain}
          isOverridden={current.overridden.chain}
          providers={current.providers}
          onChange={setChain}
        />
      </fieldset>
      <fieldset className="card">
        <legend>Models</legend>
        <ModelsFields
          providers={[
            ...new Set([
              ...chain,
              ...current.providers.filter((p) => p.isAvailable).map((p) => p.provider),
            ]),
          ]}
          models={models}
          defaults={current.defaults.models}
          isOverridden={current.overridden.models}
          onChange={setModels}
        />
      </fieldset>
      <fieldset className="card">
        <legend>Limits</legend>
        <LimitsFields
          values={limits}
          errors={parsedLimits.ok ? {} : parsedLimits.errors}
          defaults={current.defaults.limits}
          saved={current.settings.limits}
          onChange={setLimits}
        />
      </fieldset>
      <div className="inline-controls">
        <Button type="submit" isBusy={isSaving} busyLabel="Saving…">
          Save settings
        </Button>
        <Button variant="secondary" onClick={handleReset}>
          Use the environment defaults
        </Button>
      </div>
    </form>
  );
}
