/** Step 4: how many repetitions, warmups, and the adaptive rule. */
import type { ReactNode } from 'react';
import { NumberField } from '../components/fields';
import { useDomain, useStores } from '../stores/context';
import { RunDesignFields } from './RunDesignFields';

export function RepetitionsStep(): ReactNode {
  const { wizard } = useStores();
  const r = useDomain('wizard', (s) => s.repetitions);
  const set = wizard.getState().setRepetitions;
  return (
    <section className="step" data-testid="wizard-step-repetitions">
      <h2>Repetitions</h2>
      <p className="lead">Warmup repetitions run first and are discarded.</p>
      <div className="grid">
        <NumberField
          label="Repetitions"
          testId="reps-count"
          value={r.count}
          integer
          min={1}
          max={10000}
          disabled={r.adaptive}
          onChange={(v) => v !== null && set({ count: v })}
        />
        <NumberField
          label="Warmup"
          testId="reps-warmup"
          value={r.warmup}
          integer
          min={0}
          max={100}
          onChange={(v) => v !== null && set({ warmup: v })}
        />
        <NumberField
          label="Timeout per repetition"
          unit="s"
          testId="reps-timeout"
          value={r.timeoutSeconds}
          min={1}
          max={86400}
          onChange={(v) => v !== null && set({ timeoutSeconds: v })}
        />
      </div>
      <RunDesignFields />
      <label className="inline">
        <input
          type="checkbox"
          data-testid="reps-adaptive"
          checked={r.adaptive}
          onChange={(e) => set({ adaptive: e.target.checked })}
        />
        Adaptive: repeat until the 95% confidence interval is narrow enough
      </label>
      {r.adaptive ? (
        <div className="grid">
          <NumberField
            label="Minimum"
            testId="reps-min"
            value={r.minRepetitions}
            integer
            min={2}
            max={1000}
            onChange={(v) => v !== null && set({ minRepetitions: v })}
          />
          <NumberField
            label="Maximum (cap)"
            testId="reps-max"
            value={r.maxRepetitions}
            integer
            min={2}
            max={10000}
            onChange={(v) => v !== null && set({ maxRepetitions: v })}
          />
          <NumberField
            label="Target CI half-width"
            unit="% of mean"
            testId="reps-target"
            value={r.targetCiPercent}
            min={0.1}
            max={100}
            onChange={(v) => v !== null && set({ targetCiPercent: v })}
          />
          <NumberField
            label="Minimum measured time"
            unit="s"
            testId="reps-min-seconds"
            value={r.minSeconds}
            min={0}
            max={86400}
            onChange={(v) => v !== null && set({ minSeconds: v })}
          />
        </div>
      ) : null}
    </section>
  );
}
