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

export function RunComparisonTable({
  current,
  other,
  otherId,
  otherLabel,
}: {
  current: Summary;
  other: Summary;
  otherId: string;
  otherLabel: string;
}): ReactNode {
  const rows = compareRuns(other, current);
  return (
    <div className="result-block" data-testid={`comparison-${otherId}`}>
      <h3>
        This run vs {otherLabel}{' '}
        <span className="muted small">speed &gt; 1: this run did better</span>
      </h3>
      {rows.length === 0 ? (
        <p className="muted">The two runs have no platform × benchmark in common.</p>
      ) : (
        <table className="results-table">
          <thead>
            <tr>
              <th>Benchmark</th>
              <th>Platform</th>
              <th>other run (n)</th>
              <th>this run (n)</th>
              <th>speed (95% CI)</th>
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
                  {fmt(r.relative)}
                  {r.relativeLow !== null
                    ? ` (${fmt(r.relativeLow)}–${fmt(r.relativeHigh)})`
                    : ` (${NO_INTERVAL_TEXT})`}
                </td>
                <td>{r.welchP === null ? '—' : fmt(r.welchP)}</td>
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
