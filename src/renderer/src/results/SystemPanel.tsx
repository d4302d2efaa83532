/**
 * The "System" panel of a run: the host it was measured on (environment.json) and the load
 * during its repetitions (meta.hostCpu), folded by default with one summary line.
 */
import { useMemo } from 'react';
import type { ReactNode } from 'react';
import type { Sample } from '../../../shared/sample';
import { systemFacts, systemSummary } from '../../../shared/host/systemFacts';

export function SystemPanel({
  environment,
  samples,
}: {
  environment: unknown;
  samples: readonly Sample[];
}): ReactNode {
  const facts = useMemo(() => systemFacts(environment, samples), [environment, samples]);
  return (
    <details className="system-panel" data-testid="system-panel">
      <summary>
        <strong>System</strong> <span className="muted small">{systemSummary(facts)}</span>
      </summary>
      <dl className="system-facts">
        {facts.map((f) => (
          <div key={f.label} className="system-fact">
            <dt>{f.label}</dt>
            <dd>{f.value}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
