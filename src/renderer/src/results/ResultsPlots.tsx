/**
 * Plots of a run: the normalised overview (native = 1) and one chart per
 * benchmark (bars + 95% CI whiskers + raw points), optionally compared with
 * other runs from the history (colour by run, plus a cell-by-cell comparison table).
 */
import { useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { RunDetail } from '../../../shared/api';
import {
  benchmarkChartSpec,
  benchmarkData,
  benchmarksIn,
  benchmarkTitle,
  normalizedChartSpec,
  referenceTitle,
} from '../../../shared/plots';
import type { RunSeries } from '../../../shared/plots';
import { summarize } from '../../../shared/stats';
import type { Summary } from '../../../shared/stats';
import { useDomain, useStores } from '../stores/context';
import { RunComparisonTable } from './RunComparisonTable';
import { VegaChart } from './VegaChart';
import './results.css';

function seriesLabel(detail: RunDetail): string {
  const when = new Date(detail.item.startedAt).toLocaleString();
  return `${detail.item.name} (${when})${detail.item.imported ? ' · imported' : ''}`;
}

export function ResultsPlots({
  detail,
  summary,
}: {
  detail: RunDetail;
  summary: Summary;
}): ReactNode {
  const { api, history } = useStores();
  const runs = useDomain('history', (s) => s.runs);
  const compareIds = useDomain('history', (s) => s.compareWith);
  const setCompareIds = (ids: string[]): void => history.getState().setCompareWith(ids);
  const [others, setOthers] = useState<RunDetail[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void Promise.all(compareIds.map((runId) => api.call('runs:get', { runId }))).then((results) => {
      if (!live) return;
      const failed = results.find((r) => !r.ok);
      setError(failed && !failed.ok ? failed.error.message : null);
      setOthers(results.flatMap((r) => (r.ok ? [r.value] : [])));
    });
    return () => {
      live = false;
    };
  }, [api, compareIds]);

  const series: RunSeries[] = useMemo(
    () => [
      { runId: detail.item.runId, label: seriesLabel(detail), summary },
      // Compared runs take the same reference target where they have it (else native).
      ...others.map((o) => ({
        runId: o.item.runId,
        label: seriesLabel(o),
        summary: summarize(
          o.samples,
          summary.referenceTarget ? { reference: summary.referenceTarget } : {},
        ),
      })),
    ],
    [detail, summary, others],
  );
  const benchmarks = useMemo(() => benchmarksIn(series), [series]);
  const normalized = useMemo(() => normalizedChartSpec(series, benchmarks), [series, benchmarks]);
  const perBenchmark = useMemo(
    () =>
      benchmarks.flatMap((b) => {
        const spec = benchmarkChartSpec(b, series);
        // The chart's groups (target ids), for readers of the page and for tests.
        const groups = [...new Set(benchmarkData(b, series)?.bars.map((x) => x.target) ?? [])];
        return spec ? [{ benchmark: b, spec, groups }] : [];
      }),
    [benchmarks, series],
  );
  const candidates = runs.filter((r) => r.runId !== detail.item.runId && r.sampleCount > 0);

  return (
    <section className="results-plots" data-testid="results-plots">
      <div className="compare-bar">
        <h3>Plots</h3>
        {candidates.length > 0 ? (
          <label className="compare-picker">
            Compare with{' '}
            <select
              data-testid="compare-select"
              value=""
              onChange={(e) => {
                const id = e.target.value;
                if (id && !compareIds.includes(id)) setCompareIds([...compareIds, id]);
              }}
            >
              <option value="">another run…</option>
              {candidates
                .filter((r) => !compareIds.includes(r.runId))
                .map((r) => (
                  <option key={r.runId} value={r.runId}>
                    {r.name} · {r.runId}
                    {r.imported ? ' (imported)' : ''}
                  </option>
                ))}
            </select>
          </label>
        ) : null}
        {compareIds.map((id) => (
          <button
            key={id}
            type="button"
            className="chip"
            data-testid={`compare-remove-${id}`}
            onClick={() => setCompareIds(compareIds.filter((x) => x !== id))}
            title="Stop comparing"
          >
            {id} ✕
          </button>
        ))}
      </div>
      {error ? <div className="error-box">{error}</div> : null}
      <div className="chart-grid">
        {normalized ? (
          <VegaChart
            spec={normalized}
            testId="chart-normalized"
            label={`Relative performance, relative to ${referenceTitle(series)}`}
          />
        ) : null}
        {perBenchmark.map(({ benchmark, spec, groups }) => (
          <VegaChart
            key={benchmark}
            spec={spec}
            testId={`chart-${benchmark}`}
            label={`${benchmarkTitle(benchmark)} chart`}
            groups={groups}
          />
        ))}
      </div>
      {series.slice(1).map((o) => (
        <RunComparisonTable
          key={o.runId}
          current={summary}
          other={o.summary}
          otherId={o.runId}
          otherLabel={o.label}
        />
      ))}
    </section>
  );
}
