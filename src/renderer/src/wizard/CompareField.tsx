/**
 * A guest-shape field or Docker option with "Compare several values": off, the field's
 * own single control; on, a chip group of the values to compare ("raw" and "qcow2"),
 * each one a target of its own on the platforms that take the field.
 */
import { useId, useState } from 'react';
import type { ReactNode } from 'react';
import { MAX_VALUES_PER_FIELD, type VariantField } from '../../../shared/variants';
import { numberProblem } from '../components/fields';
import { useDomain, useStores } from '../stores/context';
import { fieldChoices, fieldUsed, valueProblem, type VariantValue } from './variantDraft';
import './wizard.css';

interface CompareFieldProps {
  field: VariantField;
  label: string;
  unit?: string;
  /** The single control's test id; the toggle and chips derive theirs from it. */
  testId: string;
  /** How a value reads on its chip (default: the value itself). */
  valueLabel?: (value: string) => string;
  /** The single-value control, shown while the field is not compared. */
  children: ReactNode;
}

export function CompareField(props: CompareFieldProps): ReactNode {
  const { wizard } = useStores();
  const values = useDomain('wizard', (s) => s.compare[props.field]);
  const platforms = useDomain('wizard', (s) => s.platforms);
  const toggleId = useId();
  const comparing = values !== undefined;

  return (
    <div className={`compare-field${comparing ? ' comparing' : ''}`}>
      {comparing ? (
        <div className="field" role="group" aria-labelledby={`${toggleId}-label`}>
          <span className="field-label" id={`${toggleId}-label`}>
            {props.label}
            {props.unit ? <span className="unit"> ({props.unit})</span> : null}
          </span>
          <ValueChips {...props} values={values} />
          <div className="field-help" data-testid={`${props.testId}-compare-note`}>
            {!fieldUsed(platforms, props.field)
              ? 'No chosen platform takes this field: comparing it adds no target.'
              : values.length < 2
                ? 'Tick two or more values to compare them.'
                : `${values.length} values: each platform that takes this field runs once per value.`}
          </div>
        </div>
      ) : (
        props.children
      )}
      <label className="compare-toggle" htmlFor={toggleId}>
        <input
          id={toggleId}
          type="checkbox"
          data-testid={`${props.testId}-compare`}
          checked={comparing}
          onChange={(e) => wizard.getState().setComparing(props.field, e.target.checked)}
        />
        Compare several values
      </label>
    </div>
  );
}

/** The chips: every allowed name (ticked or not), or the numbers given plus an input to add one. */
function ValueChips(props: CompareFieldProps & { values: VariantValue[] }): ReactNode {
  const { wizard } = useStores();
  const choices = fieldChoices(props.field);
  const toggle = (v: VariantValue, on: boolean): void =>
    wizard.getState().toggleCompareValue(props.field, v, on);
  const show = (v: VariantValue): string => props.valueLabel?.(String(v)) ?? String(v);

  if (choices.kind === 'enum')
    return (
      <div className="chips">
        {choices.values.map((v) => {
          const on = props.values.includes(v);
          const last = on && props.values.length === 1;
          return (
            <button
              key={v}
              type="button"
              className={`chip${on ? ' on' : ''}`}
              aria-pressed={on}
              data-testid={`${props.testId}-value-${v}`}
              disabled={last || (!on && props.values.length >= MAX_VALUES_PER_FIELD)}
              title={last ? 'At least one value is compared' : undefined}
              onClick={() => toggle(v, !on)}
            >
              {show(v)}
            </button>
          );
        })}
      </div>
    );
  return (
    <div className="chips">
      {props.values.map((v) => (
        <span key={v} className="chip on" data-testid={`${props.testId}-value-${v}`}>
          {show(v)}
          <button
            type="button"
            className="chip-remove"
            aria-label={`remove ${show(v)}`}
            data-testid={`${props.testId}-remove-${v}`}
            disabled={props.values.length === 1}
            onClick={() => toggle(v, false)}
          >
            ×
          </button>
        </span>
      ))}
      <AddNumber {...props} />
    </div>
  );
}

/** A number input that adds a value to a compared numeric field, checked by the schema. */
function AddNumber(props: CompareFieldProps & { values: VariantValue[] }): ReactNode {
  const { wizard } = useStores();
  const [text, setText] = useState('');
  const full = props.values.length >= MAX_VALUES_PER_FIELD;
  const n = Number(text);
  const choices = fieldChoices(props.field);
  // The same wording as the single number field ("at least 64"), then the schema's own check.
  const problem =
    text.trim() === ''
      ? null
      : (numberProblem(text, choices.kind === 'number' ? choices : {}) ??
        (props.values.includes(n) ? 'already compared' : valueProblem(props.field, n)));
  const add = (): void => {
    if (text.trim() === '' || problem || full) return;
    wizard.getState().toggleCompareValue(props.field, n, true);
    setText('');
  };
  return (
    <span className="chip-add">
      <input
        type="number"
        aria-label={`another ${props.label} value`}
        data-testid={`${props.testId}-add-value`}
        value={text}
        disabled={full}
        placeholder={full ? `at most ${MAX_VALUES_PER_FIELD}` : 'add…'}
        aria-invalid={problem !== null}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') add();
        }}
      />
      <button
        type="button"
        data-testid={`${props.testId}-add`}
        disabled={full || text.trim() === '' || problem !== null}
        onClick={add}
      >
        Add
      </button>
      {problem ? (
        <span className="field-error" data-testid={`${props.testId}-add-error`}>
          {problem}
        </span>
      ) : null}
    </span>
  );
}
