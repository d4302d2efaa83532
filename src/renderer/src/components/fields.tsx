/** Small form controls with labels, inline validation and test ids. */
import { useEffect, useId, useState } from 'react';
import type { ReactNode } from 'react';

export interface NumberFieldProps {
  label: string;
  testId: string;
  value: number | null;
  onChange(value: number | null): void;
  min?: number;
  max?: number;
  integer?: boolean;
  unit?: string;
  help?: string;
  placeholder?: string;
  disabled?: boolean;
  /** Empty input means "use the default" (value null) instead of an error. */
  optional?: boolean;
  /**
   * The value that applies while `value` is null (a profile's default): shown in the field as
   * its value, in normal text, with a "default" tag, not as a grey placeholder that reads as
   * an empty field. Typing makes it the user's own; emptying the field returns to the default.
   */
  fallback?: number;
}

/** Checks a typed number; returns the problem or null. */
export function numberProblem(
  text: string,
  opts: { min?: number; max?: number; integer?: boolean; optional?: boolean },
): string | null {
  if (text.trim() === '') return opts.optional ? null : 'required';
  const n = Number(text);
  if (!Number.isFinite(n)) return 'not a number';
  if (opts.integer && !Number.isInteger(n)) return 'must be a whole number';
  if (opts.min !== undefined && n < opts.min) return `at least ${opts.min}`;
  if (opts.max !== undefined && n > opts.max) return `at most ${opts.max}`;
  return null;
}

export function NumberField(props: NumberFieldProps): ReactNode {
  const id = useId();
  const shownDefault = props.fallback === undefined ? '' : String(props.fallback);
  const [text, setText] = useState(props.value === null ? shownDefault : String(props.value));
  useEffect(() => {
    // Follow outside changes (e.g. a reset) without fighting the user's typing.
    setText((t) =>
      Number(t) === props.value || (t === '' && props.value === null)
        ? t
        : props.value === null
          ? shownDefault
          : String(props.value),
    );
  }, [props.value, shownDefault]);
  const problem = numberProblem(text, props);
  const isDefault = props.value === null && props.fallback !== undefined;
  return (
    <div className={`field${problem ? ' invalid' : ''}`}>
      <label htmlFor={id}>
        {props.label}
        {props.unit ? <span className="unit"> ({props.unit})</span> : null}
        {isDefault ? (
          <span className="default-tag" data-testid={`${props.testId}-default`}>
            {' '}
            default
          </span>
        ) : null}
      </label>
      <input
        id={id}
        data-testid={props.testId}
        type="number"
        inputMode="decimal"
        value={text}
        placeholder={props.placeholder}
        disabled={props.disabled}
        min={props.min}
        max={props.max}
        step={props.integer ? 1 : 'any'}
        aria-invalid={problem !== null}
        onBlur={() => {
          // An emptied field shows the default it falls back to again.
          if (text.trim() === '' && props.value === null) setText(shownDefault);
        }}
        onChange={(e) => {
          const t = e.target.value;
          setText(t);
          if (numberProblem(t, props) === null) props.onChange(t.trim() === '' ? null : Number(t));
        }}
      />
      {problem ? (
        <div className="field-error" data-testid={`${props.testId}-error`}>
          {problem}
        </div>
      ) : props.help ? (
        <div className="field-help">{props.help}</div>
      ) : null}
    </div>
  );
}

export interface SelectFieldProps<T extends string> {
  label: string;
  testId: string;
  value: T;
  options: readonly { value: T; label: string; disabled?: boolean }[];
  onChange(value: T): void;
  help?: string;
}

export function SelectField<T extends string>(props: SelectFieldProps<T>): ReactNode {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        data-testid={props.testId}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value as T)}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value} disabled={o.disabled}>
            {o.label}
          </option>
        ))}
      </select>
      {props.help ? <div className="field-help">{props.help}</div> : null}
    </div>
  );
}

interface TextFieldProps {
  /** Span two grid columns (paths and other long values). */
  wide?: boolean;
  label: string;
  testId: string;
  value: string;
  placeholder?: string;
  onChange(value: string): void;
  help?: string;
}

export function TextField(props: TextFieldProps): ReactNode {
  const id = useId();
  return (
    <div className={props.wide ? 'field span-2' : 'field'}>
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type="text"
        data-testid={props.testId}
        value={props.value}
        placeholder={props.placeholder}
        onChange={(e) => props.onChange(e.target.value)}
      />
      {props.help ? <div className="field-help">{props.help}</div> : null}
    </div>
  );
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '—';
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  const rest = Math.round(s % 60);
  if (m < 60) return `${m} min ${rest} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
