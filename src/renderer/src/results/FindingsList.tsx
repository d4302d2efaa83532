/**
 * Findings of a run, after the answer: the "why" as one-line headlines (problems, warnings and
 * the explanations of big effects, details on expand), what each variant changed, the user's
 * expectations (held / not held / cannot tell yet), then measurement quality (host load, noise,
 * warm-ups) folded into one panel with one summary line, and plain information folded away.
 */
import type { ReactNode } from 'react';
import {
  CONTROL_FINDING_PREFIX,
  findingGroup,
  findingLabel,
  qualityMatters,
  qualitySummary,
  type Finding,
} from '../../../shared/findings';
import { formatValue } from '../../../shared/plots';
import './results.css';

function FindingCard({ f }: { f: Finding }): ReactNode {
  const numbers = Object.entries(f.numbers).filter(([, v]) => v !== null);
  // A finding decided by a verdict (variants, Docker ≈ native) carries it for readers and tests.
  const verdict = typeof f.numbers.verdict === 'string' ? f.numbers.verdict : undefined;
  const label = findingLabel(f);
  return (
    <article
      className={`finding finding-${f.severity}${f.held === true ? ' finding-held' : ''}`}
      data-testid={`finding-${f.id}`}
      data-severity={f.severity}
      data-label={label}
      aria-label={f.title}
      {...(verdict ? { 'data-verdict': verdict } : {})}
    >
      <details>
        <summary>
          <span className={`finding-badge finding-badge-${f.held === true ? 'held' : f.severity}`}>
            {label}
          </span>{' '}
          <strong>{f.title}</strong>
        </summary>
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
      </details>
    </article>
  );
}

export function FindingsList({
  findings,
  undecidedCells = 0,
}: {
  findings: Finding[];
  /** Answer cells the data cannot decide yet (the quality panel opens when it may explain them). */
  undecidedCells?: number;
}): ReactNode {
  // The A/A control says how far every other verdict can be trusted: first, always shown.
  const isControl = (f: Finding) => f.id.startsWith(CONTROL_FINDING_PREFIX);
  const control = findings.filter(isControl);
  const of = (g: ReturnType<typeof findingGroup>) =>
    findings.filter((f) => !isControl(f) && findingGroup(f) === g);
  const why = of('why');
  const variants = of('variant');
  const expectations = of('expectation');
  const quality = of('quality');
  const info = of('info');
  return (
    <section className="findings" data-testid="findings">
      <h3>Why: findings</h3>
      {findings.length === 0 ? (
        <div className="muted" data-testid="findings-none">
          Nothing unusual: no diagnostics fired and no expectations were entered.
        </div>
      ) : null}
      {control.length > 0 ? (
        <section
          className="findings-control"
          data-testid="findings-control"
          aria-label="A/A control: identical systems compared"
        >
          <h4>A/A control: the reference against its twin</h4>
          {control.map((f) => (
            <FindingCard key={f.id} f={f} />
          ))}
        </section>
      ) : null}
      {why.map((f) => (
        <FindingCard key={f.id} f={f} />
      ))}
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
      {expectations.length > 0 ? (
        <section className="findings-expectations" data-testid="findings-expectations">
          <h4>Your expectations</h4>
          {expectations.map((f) => (
            <FindingCard key={f.id} f={f} />
          ))}
        </section>
      ) : null}
      <details
        className="findings-quality"
        data-testid="findings-quality"
        open={qualityMatters(findings, undecidedCells)}
      >
        <summary data-testid="findings-quality-summary">{qualitySummary(findings)}</summary>
        {quality.map((f) => (
          <FindingCard key={f.id} f={f} />
        ))}
      </details>
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
