import type { ModuleAiPolicy } from '@hintbook/contracts';
import { Button } from '../../../components/Button';
import { FormField } from '../../../components/FormField';
import { HELP_LEVEL_OPTIONS } from '../policy-words';
import { SelectField } from '../../../components/SelectField';

export type PolicyWindow = ModuleAiPolicy['windows'][number];

interface PolicyWindowFieldsProps {
  index: number;
  window: PolicyWindow;
  onChange(window: PolicyWindow): void;
  onRemove(): void;
}

const WINDOW_MODES = [
  { value: 'off', label: 'Tutor off' },
  { value: 'hints_only', label: 'Hints only' },
];

/** One time window: wall-clock start and end in an explicit IANA time zone, never server time. */
export function PolicyWindowFields({ index, window, onChange, onRemove }: PolicyWindowFieldsProps) {
  const n = index + 1;
  return (
    <fieldset className="policy-window">
      <legend>Window {n}</legend>
      <FormField
        label={`Name of window ${n}`}
        maxLength={80}
        value={window.label}
        onChange={(event) => onChange({ ...window, label: event.target.value })}
      />
      <FormField
        label={`Start of window ${n}`}
        type="datetime-local"
        required
        value={window.start}
        onChange={(event) => onChange({ ...window, start: event.target.value.slice(0, 16) })}
      />
      <FormField
        label={`End of window ${n}`}
        type="datetime-local"
        required
        value={window.end}
        onChange={(event) => onChange({ ...window, end: event.target.value.slice(0, 16) })}
      />
      <FormField
        label={`Time zone of window ${n}`}
        hint="An IANA name such as Europe/Berlin: the times above are read in it."
        required
        value={window.timeZone}
        onChange={(event) => onChange({ ...window, timeZone: event.target.value })}
      />
      <SelectField
        label={`During window ${n}`}
        options={WINDOW_MODES}
        value={window.mode}
        onChange={(event) =>
          onChange({ ...window, mode: event.target.value as PolicyWindow['mode'] })
        }
      />
      {window.mode === 'hints_only' ? (
        <SelectField
          label={`Highest help in window ${n}`}
          options={HELP_LEVEL_OPTIONS}
          value={String(window.maxHintLevel)}
          onChange={(event) => onChange({ ...window, maxHintLevel: Number(event.target.value) })}
        />
      ) : null}
      <div>
        <Button variant="quiet" onClick={onRemove}>
          Remove window {n}
        </Button>
      </div>
    </fieldset>
  );
}
