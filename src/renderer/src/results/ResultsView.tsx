/**
 * Results of one run. A component tree meant to grow: plots and findings (results work) slot in
 * per benchmark next to the table and above the tables (see the marked places).
 */
import { useMemo } from 'react';
import type { ReactNode } from 'react';
import { BENCHMARK_IDS } from '../../../shared/catalogue';
import { PLATFORM_INFO } from '../../../shared/platforms';
import { summarize } from '../../../shared/stats';
import { useDomain, useStores } from '../stores/context';
import { BenchmarkTable } from './BenchmarkTable';
import { FindingsList } from './FindingsList';
import { ResultsPlots } from './ResultsPlots';
import { computeFindings } from '../../../shared/findings';
import { ExportButton } from '../bundles/ExportButton';

export function ResultsView(): ReactNode {
  const { app } = useStores();
  const detail = useDomain('history', (s) => s.detail);
  const loading = useDomain('history', (s) => s.detailLoading);
  const error = useDomain('history', (s) => s.detailError);
  const summary = useMemo(() => (detail ? summarize(detail.samples) : null), [detail]);
  const findings = useMemo(() => {
    if (!detail || !summary) return [];
    const exp = detail.experiment as { config?: unknown; skipped?: unknown } | null;
    return computeFindings({
      samples: detail.samples,
      summary,
      environment: detail.environment,
      config: exp?.config,
      skipped: exp?.skipped,
    });
  }, [detail, summary]);

  if (loading) return <div className="empty">Loading results…</div>;
  if (error)
    return (
      <div className="error-box" data-testid="results-error">
        {error}
      </div>
    );
  if (!detail || !summary) {
    return (
      <div className="empty" data-testid="results-none">
        No run opened. Pick one in{' '}
        <button
          type="button"
          className="link"
          data-testid="results-open-history"
          onClick={() => app.getState().setView('history')}
        >
          History
        </button>
        .
      </div>
    );
  }
  const item = detail.item;
  const benchmarks = BENCHMARK_IDS.filter((b) => summary.cells.some((c) => c.benchmark === b));
  const failures = detail.samples.filter((s) => s.value === null);
  return (
    <div className="results-view" data-testid="results-view" data-run-id={item.runId}>
      <div className="run-head">
        <div>
          <h2>{item.name}</h2>
          <span className={`badge status-${item.status}`}>{item.status}</span>{' '}
          <span className="muted small">
            {item.runId} · {new Date(item.startedAt).toLocaleString()} ·{' '}
            {item.platforms.map((p) => PLATFORM_INFO[p].title).join(', ')} · {item.sampleCount}{' '}
            samples
            {item.imported ? ' · imported' : ''}
          </span>
        </div>
        <ExportButton key={item.runId} runId={item.runId} />
      </div>
      <FindingsList findings={findings} />
      {benchmarks.length > 0 ? <ResultsPlots detail={detail} summary={summary} /> : null}
      {benchmarks.length === 0 ? <div className="empty">This run has no samples.</div> : null}
      {benchmarks.map((b) => (
        <BenchmarkTable
          key={b}
          summary={summary}
          benchmark={b}
          {...(detail.cells ? { cellRecords: detail.cells } : {})}
        />
      ))}
      {failures.length > 0 ? (
        <details className="failures" open>
          <summary>Failed repetitions ({failures.length})</summary>
          <ul>
            {failures.map((f) => (
              <li key={`${f.platform}-${f.benchmark}-${f.rep}`}>
                {f.benchmark} on {PLATFORM_INFO[f.platform].title}, repetition {f.rep}:{' '}
                {f.error ?? 'failed'}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
