/** Step 3: benchmarks, a preset (profile) and per-parameter overrides from the catalogue. */
import type { ReactNode } from 'react';
import { BENCHMARK_IDS, CATALOGUE, PROFILE_IDS } from '../../../shared/catalogue';
import { NumberField } from '../components/fields';
import { useDomain, useStores } from '../stores/context';

/** An on/off parameter (a switch such as the disk benchmark's first-write choice), with its help. */
function SwitchField(props: {
  label: string;
  help: string;
  testId: string;
  on: boolean;
  onChange: (on: boolean) => void;
}): ReactNode {
  return (
    <label className="field switch-field">
      <span>
        <input
          type="checkbox"
          data-testid={props.testId}
          checked={props.on}
          onChange={(e) => props.onChange(e.target.checked)}
        />{' '}
        {props.label}
      </span>
      <span className="muted small">{props.help}</span>
    </label>
  );
}

const PROFILE_HELP: Record<string, string> = {
  quick: 'Each run well under a second natively: for demos and tests.',
  standard: 'About ten seconds per run natively, as in the classic course assignment.',
};

export function BenchmarksStep(): ReactNode {
  const { wizard } = useStores();
  const profile = useDomain('wizard', (s) => s.profile);
  const chosen = useDomain('wizard', (s) => s.benchmarks);
  const params = useDomain('wizard', (s) => s.params);

  return (
    <section className="step" data-testid="wizard-step-benchmarks">
      <h2>Benchmarks</h2>
      <div className="segmented" role="radiogroup" aria-label="Preset">
        {PROFILE_IDS.map((p) => (
          <label key={p} className={profile === p ? 'active' : ''}>
            <input
              type="radio"
              name="profile"
              data-testid={`profile-${p}`}
              checked={profile === p}
              onChange={() => wizard.getState().setProfile(p)}
            />
            {p}
          </label>
        ))}
        <span className="muted small">{PROFILE_HELP[profile]}</span>
      </div>
      <div className="bench-list">
        {BENCHMARK_IDS.map((id) => {
          const def = CATALOGUE[id];
          const on = chosen.includes(id);
          return (
            <div key={id} className={`card bench${on ? ' selected' : ''}`}>
              <label className="card-head">
                <input
                  type="checkbox"
                  data-testid={`bench-${id}`}
                  checked={on}
                  onChange={(e) => wizard.getState().toggleBenchmark(id, e.target.checked)}
                />
                <strong>{def.title}</strong>
                <span className="muted small">
                  main metric: {def.metrics.find((m) => m.key === def.mainMetric)?.label} (
                  {def.metrics.find((m) => m.key === def.mainMetric)?.direction} is better)
                </span>
              </label>
              <p className="small">{def.explanation}</p>
              {on ? (
                <div className="grid params">
                  {def.params.map((p) =>
                    p.switch ? (
                      <SwitchField
                        key={p.key}
                        label={p.label}
                        help={p.help}
                        testId={`param-${id}-${p.key}`}
                        on={(params[id]?.[p.key] ?? def.profiles[profile][p.key]) === 1}
                        onChange={(on) => wizard.getState().setParam(id, p.key, on ? 1 : 0)}
                      />
                    ) : (
                      <NumberField
                        key={p.key}
                        label={p.label}
                        unit={p.unit}
                        testId={`param-${id}-${p.key}`}
                        value={params[id]?.[p.key] ?? null}
                        {...(def.profiles[profile][p.key] !== undefined
                          ? { fallback: def.profiles[profile][p.key] }
                          : {})}
                        integer={p.integer}
                        min={p.min}
                        max={p.max}
                        optional
                        help={p.help}
                        onChange={(v) => wizard.getState().setParam(id, p.key, v)}
                      />
                    ),
                  )}
                </div>
              ) : null}
            </div>
          );
        })}
      </div>
    </section>
  );
}
