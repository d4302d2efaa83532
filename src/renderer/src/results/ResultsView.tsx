/**
 * Results of one run, the answer first: the answer matrix (speed relative to the reference,
 * interval, verdict) with one plain line per target, then the findings (why, expectations,
 * measurement quality), then the reference picker, plots and the statistics tables.
 */
import { useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { BENCHMARK_IDS } from '../../../shared/catalogue';
import { PLATFORM_INFO } from '../../../shared/platforms';
import { defaultReference, summarize } from '../../../shared/stats';
import { useDomain, useStores } from '../stores/context';
import { BenchmarkTable } from './BenchmarkTable';
import { FindingsList } from './FindingsList';
import { ResultsPlots } from './ResultsPlots';
import { computeFindings } from '../../../shared/findings';
import { ExportButton } from '../bundles/ExportButton';
import { MoreRepetitions } from './MoreRepetitions';
import { SystemPanel } from './SystemPanel';
import { ReferencePicker } from './ReferencePicker';
import { AnswerPanel } from './AnswerPanel';
import { PastConsoles } from './PastConsoles';
import { answerLines, answerMatrix, timedNotes } from '../../../shared/answer';
import { readSkips } from '../../../shared/findings/skipped';
import { clientBounds } from '../../../shared/findings/loadCeiling';

export function ResultsView(): ReactNode {
  const { app } = useStores();
  const detail = useDomain('history', (s) => s.detail);
  const loading = useDomain('history', (s) => s.detailLoading);
  const error = useDomain('history', (s) => s.detailError);
  // The reference target for ratios, verdicts and the normalised chart: chosen in the picker,
  // native (or a variant run's first target) until then; a newly opened run starts afresh.
  const [picked, setPicked] = useState<{ runId: string; target: string } | null>(null);
  const reference = useMemo(() => {
    if (!detail) return undefined;
    return picked && picked.runId === detail.item.runId
      ? picked.target
      : defaultReference(detail.samples);
  }, [detail, picked]);
  const summary = useMemo(
    () => (detail ? summarize(detail.samples, reference ? { reference } : {}) : null),
    [detail, reference],
  );
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
  const matrix = useMemo(() => {
    if (!detail || !summary) return null;
    const exp = detail.experiment as { skipped?: unknown } | null;
    const bounds = clientBounds(detail.samples, summary.referenceTarget ?? summary.reference);
    return answerMatrix(summary, readSkips(exp?.skipped), bounds);
  }, [detail, summary]);
  const lines = useMemo(
    () => (matrix && detail ? answerLines(matrix, timedNotes(detail.samples)) : []),
    [matrix, detail],
  );

  if (loading) return <div className="empty">Loading results…</div>;
  if (error)
    return (
      <div className="error-box" data-testid="results-error">
        {error}
      </div>
    );
  if (!detail || !summary || !matrix) {
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
          <div className="run-name" data-testid="run-name">
            {item.name}
          </div>
          <span className={`badge status-${item.status}`}>{item.status}</span>{' '}
          <span className="muted small">
            {item.runId} · {new Date(item.startedAt).toLocaleString()} ·{' '}
            {item.platforms.map((p) => PLATFORM_INFO[p].title).join(', ')} · {item.sampleCount}{' '}
            samples
            {item.imported ? ' · imported' : ''}
          </span>
        </div>
        <div className="actions">
          <MoreRepetitions key={`more-${item.runId}`} item={item} />
          <ExportButton key={item.runId} runId={item.runId} />
        </div>
      </div>
      {benchmarks.length > 0 ? (
        <AnswerPanel
          matrix={matrix}
          lines={lines}
          rowHeader={
            matrix.rows.some((r) => r.row.target !== r.row.platform) ? 'Target' : 'Platform'
          }
          heading={
            matrix.referenceTitle
              ? `Answer: speed relative to ${matrix.referenceTitle}`
              : 'Answer: no reference to compare with'
          }
        />
      ) : null}
      <FindingsList
        findings={findings}
        undecidedCells={
          matrix.rows.flatMap((r) => r.cells).filter((c) => c.verdict === 'inconclusive').length
        }
      />
      <SystemPanel environment={detail.environment} samples={detail.samples} />
      {benchmarks.length > 0 ? (
        <ReferencePicker
          samples={detail.samples}
          value={summary.referenceTarget ?? summary.reference ?? null}
          onChange={(target) => setPicked({ runId: item.runId, target })}
        />
      ) : null}
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
      <PastConsoles key={item.runId} detail={detail} />
    </div>
  );
}
