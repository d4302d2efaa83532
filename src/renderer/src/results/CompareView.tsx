/**
 * The compare page: two runs, the baseline (older) → the candidate (newer), named as such. The
 * answer matrix of the candidate's speed relative to the baseline per target × benchmark, one
 * line per target, a caveat when either run recorded host load, each run's own chart side by
 * side (faceted by run), the per-benchmark charts of both, and the cell-by-cell table.
 */
import { useMemo } from 'react';
import type { ReactNode } from 'react';
import type { RunDetail } from '../../../shared/api';
import { comparisonLines, comparisonMatrix, hostLoadCaveat } from '../../../shared/answer';
import { computeFindings } from '../../../shared/findings';
import {
  benchmarkChartSpec,
  benchmarksIn,
  benchmarkTitle,
  normalizedChartSpec,
  type RunSeries,
} from '../../../shared/plots';
import { compareRuns, summarize, type Summary } from '../../../shared/stats';
import { useDomain, useStores } from '../stores/context';
import { AnswerPanel } from './AnswerPanel';
import { RunComparisonTable } from './RunComparisonTable';
import { VegaChart } from './VegaChart';
import './results.css';

function findingsOf(d: RunDetail, summary: Summary) {
  const exp = d.experiment as { config?: unknown; skipped?: unknown } | null;
  return computeFindings({
    samples: d.samples,
    summary,
    environment: d.environment,
    config: exp?.config,
    skipped: exp?.skipped,
  });
}

function RunCard({ role, d }: { role: 'Baseline' | 'Candidate'; d: RunDetail }): ReactNode {
  return (
    <div className="compare-run" data-testid={`compare-${role.toLowerCase()}`}>
      <span className="compare-role">{role}</span>
      <strong data-testid={`compare-${role.toLowerCase()}-name`}>{d.item.name}</strong>
      <span className="muted small">
        {new Date(d.item.startedAt).toLocaleString()} · {d.item.runId} · {d.item.sampleCount}{' '}
        samples{d.item.imported ? ' · imported' : ''}
      </span>
    </div>
  );
}

function Comparison({ baseline, candidate }: { baseline: RunDetail; candidate: RunDetail }) {
  const { history } = useStores();
  const baseSummary = useMemo(() => summarize(baseline.samples), [baseline]);
  const candSummary = useMemo(() => summarize(candidate.samples), [candidate]);
  const matrix = useMemo(
    () => comparisonMatrix(compareRuns(baseSummary, candSummary), 'the baseline'),
    [baseSummary, candSummary],
  );
  const lines = useMemo(() => comparisonLines(matrix), [matrix]);
  const caveat = useMemo(
    () => hostLoadCaveat(findingsOf(baseline, baseSummary), findingsOf(candidate, candSummary)),
    [baseline, candidate, baseSummary, candSummary],
  );
  const series: RunSeries[] = [
    { runId: baseline.item.runId, label: `Baseline: ${baseline.item.name}`, summary: baseSummary },
    {
      runId: candidate.item.runId,
      label: `Candidate: ${candidate.item.name}`,
      summary: candSummary,
    },
  ];
  const facets = series.flatMap((s) => {
    const spec = normalizedChartSpec([s]);
    return spec ? [{ s, spec }] : [];
  });
  const benchmarks = benchmarksIn(series);
  return (
    <>
      <div className="compare-runs">
        <RunCard role="Baseline" d={baseline} />
        <span className="compare-arrow" aria-hidden="true">
          →
        </span>
        <RunCard role="Candidate" d={candidate} />
        <button
          type="button"
          data-testid="compare-swap"
          onClick={() => history.getState().swapComparison()}
        >
          Swap
        </button>
      </div>
      <AnswerPanel
        testId="compare-answer"
        matrix={matrix}
        lines={lines}
        heading="Answer: candidate speed relative to the baseline"
        markdownTitle={`Candidate "${candidate.item.name}" relative to baseline "${baseline.item.name}"`}
      />
      {caveat ? (
        <div className="compare-caveat" data-testid="compare-caveat" role="note">
          {caveat}
        </div>
      ) : null}
      {matrix.rows.length === 0 ? (
        <p className="muted">The two runs have no target × benchmark in common.</p>
      ) : null}
      {facets.length > 0 ? (
        <section className="compare-facets" data-testid="compare-facets">
          <h3>Each run relative to its reference</h3>
          <div className="chart-grid">
            {facets.map(({ s, spec }) => (
              <figure key={s.runId} className="compare-facet">
                <figcaption>{s.label}</figcaption>
                <VegaChart spec={spec} testId={`compare-chart-${s.runId}`} label={s.label} />
              </figure>
            ))}
          </div>
        </section>
      ) : null}
      <section className="compare-benchmarks">
        <h3>Per benchmark, both runs</h3>
        <div className="chart-grid">
          {benchmarks.flatMap((b) => {
            const spec = benchmarkChartSpec(b, series);
            return spec
              ? [
                  <VegaChart
                    key={b}
                    spec={spec}
                    testId={`compare-chart-${b}`}
                    label={`${benchmarkTitle(b)}: baseline and candidate`}
                  />,
                ]
              : [];
          })}
        </div>
      </section>
      <RunComparisonTable
        current={candSummary}
        other={baseSummary}
        otherId={candidate.item.runId}
        otherLabel={baseline.item.name}
        heading={`Cell by cell: ${candidate.item.name} (candidate) vs ${baseline.item.name} (baseline)`}
      />
    </>
  );
}

export function CompareView(): ReactNode {
  const { app } = useStores();
  const comparison = useDomain('history', (s) => s.comparison);
  const loading = useDomain('history', (s) => s.comparisonLoading);
  const error = useDomain('history', (s) => s.comparisonError);
  return (
    <div
      className="compare-view"
      data-testid="compare-view"
      data-baseline={comparison?.baseline.item.runId}
      data-candidate={comparison?.candidate.item.runId}
    >
      {loading ? <div className="empty">Loading the two runs…</div> : null}
      {error ? (
        <div className="error-box" data-testid="compare-error">
          {error}
        </div>
      ) : null}
      {!loading && !comparison && !error ? (
        <div className="empty" data-testid="compare-none">
          No comparison open. Tick two runs in{' '}
          <button type="button" className="link" onClick={() => app.getState().setView('history')}>
            History
          </button>{' '}
          and press Compare.
        </div>
      ) : null}
      {comparison && !loading ? (
        <Comparison baseline={comparison.baseline} candidate={comparison.candidate} />
      ) : null}
    </div>
  );
}
