/** Findings of a run: diagnostics (problems first) and the user's expectations, with the numbers behind them. */
import type { ReactNode } from 'react';
import { findingLabel, type Finding } from '../../../shared/findings';
import { formatValue } from '../../../shared/plots';
import './results.css';

export function FindingsList({ findings }: { findings: Finding[] }): ReactNode {
  return (
    <section className="findings" data-testid="findings">
      <h3>Findings</h3>
      {findings.length === 0 ? (
        <div className="muted" data-testid="findings-none">
          Nothing unusual: no diagnostics fired and no expectations were entered.
        </div>
      ) : null}
      {findings.map((f) => {
        const numbers = Object.entries(f.numbers).filter(([, v]) => v !== null);
        return (
          <article
            key={f.id}
            className={`finding finding-${f.severity}${f.held === true ? ' finding-held' : ''}`}
            data-testid={`finding-${f.id}`}
            data-severity={f.severity}
          >
            <header>
              <span
                className={`finding-badge finding-badge-${f.held === true ? 'held' : f.severity}`}
              >
                {findingLabel(f)}
              </span>
              <strong>{f.title}</strong>
            </header>
            <p>{f.explanation}</p>
            {numbers.length > 0 ? (
              <dl className="finding-numbers">
                {numbers.map(([k, v]) => (
                  <div key={k}>
                    <dt>{k}</dt>
                    <dd>{typeof v === 'number' ? formatValue(v) : String(v)}</dd>
                  </div>
                ))}
              </dl>
            ) : null}
          </article>
        );
      })}
    </section>
  );
}
