/**
 * One benchmark's figures per target (the platform itself when nothing varies): n, mean, median, sd, CV, 95% CI (log scale), speed ratio
 * to the reference with its CI, and the verdict against the reference.
 */
import type { ReactNode } from 'react';
import { CATALOGUE } from '../../../shared/catalogue';
import type { BenchmarkId } from '../../../shared/catalogue';
import { PLATFORM_INFO, type PlatformId } from '../../../shared/platforms';
import { targetLabelOf, targetOf } from '../../../shared/targets';
import type { CellRecord } from '../../../shared/run';
import {
  cellIntervalText,
  designNote,
  ratioWithInterval,
  verdictText,
} from '../../../shared/stats';
import type { Summary } from '../../../shared/stats';
import { VERDICT_CLASS } from './verdictClass';
import { formatNumber, formatPercent, metricName, speedWithInterval } from '../../../shared/format';

/** What the run recorded about how a cell ended, when there is something to say. */
function cellNote(c: CellRecord): string | null {
  if (c.adaptive) {
    const r = c.adaptive.rule;
    return `adaptive (${r.minRepetitions}–${r.maxRepetitions} repetitions, target CI ±${r.targetCiPercent}%${r.minSeconds > 0 ? `, at least ${r.minSeconds} s` : ''}): ${c.adaptive.stopReason}`;
  }
  if (c.status === 'completed') return null;
  return `${c.status}${c.reason ? `: ${c.reason}` : ''}`;
}

/** A target's row title: the platform's title when nothing varies, else its label. */
function targetTitle(platform: PlatformId, target: string): string {
  return target === platform ? PLATFORM_INFO[platform].title : targetLabelOf(platform, target);
}

/** The one number format (shared/format.ts), under the name the results views import. */
export const fmt = formatNumber;

export function BenchmarkTable({
  summary,
  benchmark,
  cellRecords = [],
}: {
  summary: Summary;
  benchmark: BenchmarkId;
  /** cells.json of the run (how each cell ended). */
  cellRecords?: CellRecord[];
}): ReactNode {
  const notes = cellRecords
    .filter((c) => c.benchmark === benchmark)
    .map((c) => ({ platform: c.platform, target: targetOf(c), note: cellNote(c) }))
    .filter(
      (n): n is { platform: CellRecord['platform']; target: string; note: string } =>
        n.note !== null,
    );
  const def = CATALOGUE[benchmark];
  const cells = summary.cells.filter((c) => c.benchmark === benchmark && c.main);
  const metric = def.metrics.find((m) => m.key === def.mainMetric);
  const ratios = summary.ratios.filter(
    (r) => r.benchmark === benchmark && r.metric === def.mainMetric,
  );
  const reference = summary.reference;
  const refTarget = summary.referenceTarget ?? reference;
  return (
    <div className="result-block" data-testid={`results-${benchmark}`}>
      <h3>
        {def.title}{' '}
        <span className="muted small">
          {metricName(metric?.label ?? def.mainMetric, metric?.unit ?? '')} — {metric?.direction} is
          better
        </span>
      </h3>
      <table className="results-table" data-testid={`results-table-${benchmark}`}>
        <thead>
          <tr>
            <th>{cells.some((c) => targetOf(c) !== c.platform) ? 'Target' : 'Platform'}</th>
            <th>n</th>
            <th>failed</th>
            <th>mean</th>
            <th>median</th>
            <th>sd</th>
            <th>CV</th>
            <th>95% CI</th>
            {reference && refTarget ? <th>vs {targetTitle(reference, refTarget)}</th> : null}
            {reference ? <th>verdict</th> : null}
          </tr>
        </thead>
        <tbody>
          {cells.map((c) => {
            // Rows, test ids and the reference are per target (= the platform without variants).
            const t = targetOf(c);
            const r = ratios.find((x) => targetOf(x) === t);
            const refN = cells.find((x) => targetOf(x) === refTarget)?.n ?? 0;
            const isRef = t === refTarget;
            return (
              <tr key={t} data-testid={`results-row-${benchmark}-${t}`}>
                <td>{targetTitle(c.platform, t)}</td>
                <td data-testid={`results-n-${benchmark}-${t}`}>{c.n}</td>
                <td className={c.failed > 0 ? 'bad' : ''}>{c.failed}</td>
                <td data-testid={`results-mean-${benchmark}-${t}`}>{fmt(c.mean)}</td>
                <td>{fmt(c.median)}</td>
                <td>{fmt(c.sd)}</td>
                <td>{formatPercent(c.cvPercent)}</td>
                <td data-testid={`results-ci-${benchmark}-${t}`}>{cellIntervalText(c, fmt)}</td>
                {reference ? (
                  <td
                    data-testid={`results-speed-${benchmark}-${t}`}
                    title={
                      !isRef && r?.ratio != null
                        ? `${metric?.label ?? 'value'} ratio ×${ratioWithInterval(r.ratio, r.ratioLow, r.ratioHigh, Math.min(c.n, refN), fmt)}`
                        : undefined
                    }
                  >
                    {isRef
                      ? 'reference'
                      : r?.relative != null
                        ? speedWithInterval(r.relative, r.relativeLow, r.relativeHigh)
                        : '—'}
                  </td>
                ) : null}
                {reference ? (
                  <td>
                    {isRef || !r ? null : (
                      <span
                        className={`badge ${VERDICT_CLASS[r.verdict]}`}
                        data-testid={`results-verdict-${benchmark}-${t}`}
                        data-verdict={r.verdict}
                      >
                        {verdictText(r)}
                      </span>
                    )}
                    {!isRef && r && designNote(r.design) ? (
                      <span className="muted" data-testid={`results-design-${benchmark}-${t}`}>
                        {designNote(r.design)}
                      </span>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
      {notes.length > 0 ? (
        <ul className="cell-notes muted small" data-testid={`cell-notes-${benchmark}`}>
          {notes.map((n) => (
            <li key={n.target} data-testid={`cell-note-${benchmark}-${n.target}`}>
              <strong>{targetTitle(n.platform, n.target)}</strong> {n.note}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
