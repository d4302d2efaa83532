/**
 * "Relative to": the target every ratio, verdict and the normalised chart is taken against —
 * native by default, or any target of the run ("qcow2 relative to raw").
 */
import type { ReactNode } from 'react';
import type { Sample } from '../../../shared/sample';
import { referenceChoices } from '../../../shared/stats';

export function ReferencePicker({
  samples,
  value,
  onChange,
}: {
  samples: readonly Sample[];
  /** The summary's reference target (null: no reference, e.g. a run without native). */
  value: string | null;
  onChange: (target: string) => void;
}): ReactNode {
  const choices = referenceChoices(samples);
  if (choices.length < 2) return null;
  return (
    <div className="reference-bar">
      <label className="reference-picker">
        Relative to{' '}
        <select
          data-testid="reference-select"
          aria-label="Reference for ratios and verdicts"
          value={value ?? ''}
          onChange={(e) => {
            if (e.target.value) onChange(e.target.value);
          }}
        >
          {value === null ? <option value="">choose a reference…</option> : null}
          {choices.map((c) => (
            <option key={c.id} value={c.id}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <span className="muted small">
        ratios, verdicts and the normalised chart are taken against this target
      </span>
    </div>
  );
}
