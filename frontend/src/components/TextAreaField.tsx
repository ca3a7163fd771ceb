import { useId } from 'react';

interface TextAreaFieldProps {
  label: string;
  value: string;
  onChange(value: string): void;
}

/** A labelled multi-line field in the form styles. */
export function TextAreaField({ label, value, onChange }: TextAreaFieldProps) {
  const id = useId();
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <textarea
        id={id}
        className="input"
        rows={3}
        maxLength={2000}
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
    </div>
  );
}
