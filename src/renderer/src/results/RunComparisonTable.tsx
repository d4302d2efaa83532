/**
 * This run against another run from the history, cell by cell: both means, this run's speed
 * relative to the other (direction-aware, > 1 = this run did better) with its 95% CI, Welch's p
 * and the verdict (faster / slower / same / inconclusive / too-few: shared/stats/verdict.ts).
 */
import type { ReactNode } from 'react';
import { CATALOGUE } from '../../../shared/catalogue';
import { PLATFORM_INFO } from '../../../shared/platforms';
import { targetLabelOf } from '../../../shared/targets';
import { compareRuns, NO_INTERVAL_TEXT, verdictText } from '../../../shared/stats';
import type { Summary } from '../../../shared/stats';
import { fmt } from './BenchmarkTable';
import { VERDICT_CLASS } from './verdictClass';
import { formatP, speedText, speedWithInterval } from '../../../shared/format';

export function RunComparisonTable({
  current,
  other,
  otherId,
  otherLabel,
  heading,
}: {
  /** The candidate (this run). */
  current: Summary;
  /** The baseline (the other run). */
  other: Summary;
  otherId: string;
  otherLabel: string;
  /** The table's heading (default "This run (candidate) vs <other> (baseline)"). */
  heading?: string;
}): ReactNode {
  const rows = compareRuns(other, current);
  return (
    <div className="result-block" data-testid={`comparison-${otherId}`}>
      <h3>
        {heading ?? `This run (candidate) vs ${otherLabel} (baseline)`}{' '}
        <span className="muted small">speed &gt; 1: the candidate did better</span>
      </h3>
      {rows.length === 0 ? (
        <p className="muted">The two runs have no platform × benchmark in common.</p>
      ) : (
        <table className="results-table">
          <thead>
            <tr>
              <th>Benchmark</th>
              <th>Platform</th>
              <th>baseline (n)</th>
              <th>candidate (n)</th>
              <th>candidate speed (95% CI)</th>
              <th>Welch p</th>
              <th>verdict</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr
                key={`${r.benchmark}-${r.target}`}
                data-testid={`comparison-row-${r.benchmark}-${r.target}`}
              >
                <td>{CATALOGUE[r.benchmark].title}</td>
                <td>
                  {r.target === r.platform
                    ? PLATFORM_INFO[r.platform].title
                    : targetLabelOf(r.platform, r.target)}
                </td>
                <td>
                  {fmt(r.baselineMean)} {r.unit} ({r.baselineN})
                </td>
                <td>
                  {fmt(r.candidateMean)} {r.unit} ({r.candidateN})
                </td>
                <td>
                  {r.relativeLow !== null
                    ? speedWithInterval(r.relative, r.relativeLow, r.relativeHigh)
                    : `${speedText(r.relative)} (${NO_INTERVAL_TEXT})`}
                </td>
                <td>{r.welchP === null ? '—' : formatP(r.welchP)}</td>
                <td>
                  <span
                    className={`badge ${VERDICT_CLASS[r.verdict]}`}
                    data-testid={`comparison-verdict-${r.benchmark}-${r.target}`}
                    data-verdict={r.verdict}
                  >
                    {verdictText(r)}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
