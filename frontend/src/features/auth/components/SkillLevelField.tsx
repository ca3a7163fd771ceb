import { useId } from 'react';
import { FieldError } from '../../../components/FieldError';
import { skillLevels } from '../skill-levels';

interface SkillLevelFieldProps {
  /** The form field name, also the API field name (`programmingLevel`, `mathsLevel`). */
  name: string;
  legend: string;
  defaultValue: number;
  error?: string | undefined;
}

/** A radio group (arrow keys move between levels) with each level explained in words. */
export function SkillLevelField({ name, legend, defaultValue, error }: SkillLevelFieldProps) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <fieldset
      className={error ? 'field level-field field-invalid' : 'field level-field'}
      aria-describedby={error ? errorId : undefined}
    >
      <legend className="field-label">{legend}</legend>
      <FieldError id={errorId} message={error} />
      <div className="level-options">
        {skillLevels.map((level) => (
          <label className="level-option" key={level.value}>
            <input
              type="radio"
              name={name}
              value={level.value}
              defaultChecked={level.value === defaultValue}
              aria-invalid={error ? true : undefined}
            />
            <span className="level-text">
              <span className="level-name">
                {level.value} · {level.name}
              </span>
              <span className="level-description">{level.description}</span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
