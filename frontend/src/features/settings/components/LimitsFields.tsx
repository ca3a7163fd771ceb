import type { ChatLimitsSettings } from '@hintbook/contracts';
import { FormField } from '../../../components/FormField';
import { formatCount, formatUsd } from '../../../lib/format';

type LimitKey = keyof ChatLimitsSettings;
export type LimitsText = Record<LimitKey, string>;

const fields: Array<{
  key: LimitKey;
  label: string;
  isMoney?: boolean;
  min: number;
  max?: number;
}> = [
  { key: 'turnsPerMinute', label: 'Questions per minute (per student)', min: 1, max: 1000 },
  { key: 'dailyTokens', label: 'Tokens per day (per student)', min: 0 },
  { key: 'weeklyTokens', label: 'Tokens per week (per student)', min: 0 },
  { key: 'monthlyBudgetUsd', label: 'Monthly budget (USD, everyone)', isMoney: true, min: 0 },
  { key: 'messageMaxLength', label: 'Longest question (characters)', min: 100, max: 20_000 },
];

export function limitsToText(limits: ChatLimitsSettings): LimitsText {
  return Object.fromEntries(fields.map(({ key }) => [key, String(limits[key])])) as LimitsText;
}

type Parsed =
  | { ok: true; value: ChatLimitsSettings }
  | { ok: false; errors: Partial<Record<LimitKey, string>> };

/** Checks every field against the same bounds as the API, with a message per bad field. */
export function limitsFromText(text: LimitsText): Parsed {
  const errors: Partial<Record<LimitKey, string>> = {};
  const value: Partial<ChatLimitsSettings> = {};
  for (const { key, isMoney, min, max } of fields) {
    const raw = text[key].trim();
    const number = Number(raw);
    const isValid =
      raw !== '' &&
      Number.isFinite(number) &&
      (isMoney || Number.isInteger(number)) &&
      number >= min &&
      (max === undefined || number <= max);
    if (!isValid) {
      errors[key] =
        max === undefined
          ? `Enter a ${isMoney ? 'number' : 'whole number'} of at least ${min}.`
          : `Enter a whole number from ${min} to ${formatCount(max)}.`;
    } else {
      value[key] = number;
    }
  }
  return Object.keys(errors).length > 0
    ? { ok: false, errors }
    : { ok: true, value: value as ChatLimitsSettings };
}

interface LimitsFieldsProps {
  values: LimitsText;
  errors: Partial<Record<LimitKey, string>>;
  defaults: ChatLimitsSettings;
  saved: ChatLimitsSettings;
  onChange(values: LimitsText): void;
}

/** Each limit with the environment's default beside it, and whether a saved value overrides it. */
export function LimitsFields({ values, errors, defaults, saved, onChange }: LimitsFieldsProps) {
  return (
    <div className="settings-grid">
      {fields.map(({ key, label, isMoney }) => {
        const format = (value: number) => (isMoney ? formatUsd(value) : formatCount(value));
        const isOverridden = saved[key] !== defaults[key];
        return (
          <FormField
            key={key}
            label={label}
            inputMode={isMoney ? 'decimal' : 'numeric'}
            value={values[key]}
            error={errors[key]}
            hint={
              isOverridden
                ? `Saved override: ${format(saved[key])} · environment default: ${format(defaults[key])}`
                : `Environment default: ${format(defaults[key])}`
            }
            onChange={(event) => onChange({ ...values, [key]: event.target.value })}
          />
        );
      })}
    </div>
  );
}
