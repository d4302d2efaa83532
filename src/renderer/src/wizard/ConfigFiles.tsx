/**
 * The wizard's experiment as a file: save it for the headless CLI (`benchvisor run
 * config.json`) and load a saved one (or one from examples/) back into the wizard.
 */
import { useState } from 'react';
import type { ReactNode } from 'react';
import { useStores } from '../stores/context';

/** A file name from the experiment's name ("My run #2" → "my-run-2.json"). */
export function configFileName(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${slug || 'experiment'}.json`;
}

export function SaveConfigButton(): ReactNode {
  const { wizard } = useStores();
  const save = (): void => {
    const w = wizard.getState();
    const blob = new Blob([`${JSON.stringify(w.config(), null, 2)}\n`], {
      type: 'application/json',
    });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = configFileName(w.name);
    a.style.display = 'none';
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  };
  return (
    <button
      type="button"
      data-testid="save-config"
      onClick={save}
      title="Save this experiment as a config file for `benchvisor run`"
    >
      Save config…
    </button>
  );
}

export function LoadConfigButton(): ReactNode {
  const { wizard } = useStores();
  const [error, setError] = useState<string | null>(null);
  const load = async (file: File): Promise<void> => {
    let input: unknown;
    try {
      input = JSON.parse(await file.text());
    } catch (e) {
      setError(`${file.name} is not JSON: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    const problem = wizard.getState().loadConfig(input);
    setError(problem === null ? null : `${file.name} is not a valid experiment:\n${problem}`);
  };
  return (
    <span className="load-config">
      <label className="button" data-testid="load-config-label">
        Load config…
        <input
          type="file"
          accept=".json,application/json"
          data-testid="load-config"
          style={{ display: 'none' }}
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void load(f);
          }}
        />
      </label>
      {error ? (
        <pre className="error-box" data-testid="load-config-error">
          {error}
        </pre>
      ) : null}
    </span>
  );
}
