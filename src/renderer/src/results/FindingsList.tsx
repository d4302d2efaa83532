/**
 * Findings of a run: problems and warnings first, then the user's expectations, with the
 * numbers behind them; plain information ("Docker ≈ native") folds away so the plots stay near.
 */
import type { ReactNode } from 'react';
import { findingLabel, VARIANT_FINDING_PREFIX, type Finding } from '../../../shared/findings';
import { formatValue } from '../../../shared/plots';
import './results.css';

function FindingCard({ f }: { f: Finding }): ReactNode {
  const numbers = Object.entries(f.numbers).filter(([, v]) => v !== null);
  // A finding decided by a verdict (variants, Docker ≈ native) carries it for readers and tests.
  const verdict = typeof f.numbers.verdict === 'string' ? f.numbers.verdict : undefined;
  return (
    <article
      className={`finding finding-${f.severity}${f.held === true ? ' finding-held' : ''}`}
      data-testid={`finding-${f.id}`}
      data-severity={f.severity}
      aria-label={f.title}
      {...(verdict ? { 'data-verdict': verdict } : {})}
    >
      <header>
        <span className={`finding-badge finding-badge-${f.held === true ? 'held' : f.severity}`}>
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
}

export function FindingsList({ findings }: { findings: Finding[] }): ReactNode {
  // What each variant changed is the answer a variant run asks for: listed apart and open.
  const variants = findings.filter((f) => f.id.startsWith(VARIANT_FINDING_PREFIX));
  const info = findings.filter(
    (f) => f.kind === 'diagnostic' && f.severity === 'info' && !variants.includes(f),
  );
  const shown = findings.filter((f) => !info.includes(f) && !variants.includes(f));
  return (
    <section className="findings" data-testid="findings">
      <h3>Findings</h3>
      {findings.length === 0 ? (
        <div className="muted" data-testid="findings-none">
          Nothing unusual: no diagnostics fired and no expectations were entered.
        </div>
      ) : null}
      {variants.length > 0 ? (
        <section
          className="findings-variants"
          data-testid="findings-variants"
          aria-label="What each variant changed"
        >
          <h4>What each variant changed</h4>
          {variants.map((f) => (
            <FindingCard key={f.id} f={f} />
          ))}
        </section>
      ) : null}
      {shown.map((f) => (
        <FindingCard key={f.id} f={f} />
      ))}
      {info.length > 0 ? (
        <details className="findings-info" data-testid="findings-info">
          <summary data-testid="findings-info-toggle">
            {info.length} more for information ({info.map((f) => f.title).join('; ')})
          </summary>
          {info.map((f) => (
            <FindingCard key={f.id} f={f} />
          ))}
        </details>
      ) : null}
    </section>
  );
}
