/** "Start from a preset": the built-in experiments (shared/presets.ts), one click each. */
import { useState } from 'react';
import type { ReactNode } from 'react';
import { PRESETS } from '../../../shared/presets';
import { useStores } from '../stores/context';

export function PresetPicker(): ReactNode {
  const { wizard } = useStores();
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="presets" data-testid="presets">
      <span className="muted small">Start from a preset:</span>
      {PRESETS.map((p) => (
        <button
          key={p.id}
          type="button"
          className="preset"
          data-testid={`preset-${p.id}`}
          title={p.description}
          onClick={() => {
            const problem = wizard.getState().loadConfig(p.config);
            setError(problem === null ? null : `${p.title}: ${problem}`);
          }}
        >
          {p.title}
        </button>
      ))}
      {error ? (
        <pre className="error-box" data-testid="preset-error">
          {error}
        </pre>
      ) : null}
    </div>
  );
}
