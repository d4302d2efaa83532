/** One benchmark's figures per platform: n, mean, median, sd, CV, 95% CI, ratio to the reference. */
import type { ReactNode } from 'react';
import { CATALOGUE } from '../../../shared/catalogue';
import type { BenchmarkId } from '../../../shared/catalogue';
import { PLATFORM_INFO } from '../../../shared/platforms';
import type { Summary } from '../../../shared/stats';

/** Four significant digits, grouped thousands for large values. */
export function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const abs = Math.abs(x);
  if (abs >= 1e4) return Math.round(x).toLocaleString('en-US');
  return Number(x.toPrecision(4)).toString();
}

export function BenchmarkTable({
  summary,
  benchmark,
}: {
  summary: Summary;
  benchmark: BenchmarkId;
}): ReactNode {
  const def = CATALOGUE[benchmark];
  const cells = summary.cells.filter((c) => c.benchmark === benchmark && c.main);
  const metric = def.metrics.find((m) => m.key === def.mainMetric);
  const ratios = summary.ratios.filter(
    (r) => r.benchmark === benchmark && r.metric === def.mainMetric,
  );
  const reference = summary.reference;
  return (
    <div className="result-block" data-testid={`results-${benchmark}`}>
      <h3>
        {def.title}{' '}
        <span className="muted small">
          {metric?.label} in {metric?.unit || 'units'} — {metric?.direction} is better
        </span>
      </h3>
      <table className="results-table" data-testid={`results-table-${benchmark}`}>
        <thead>
          <tr>
            <th>Platform</th>
            <th>n</th>
            <th>failed</th>
            <th>mean</th>
            <th>median</th>
            <th>sd</th>
            <th>CV</th>
            <th>95% CI</th>
            {reference ? <th>vs {PLATFORM_INFO[reference].title}</th> : null}
          </tr>
        </thead>
        <tbody>
          {cells.map((c) => {
            const r = ratios.find((x) => x.platform === c.platform);
            return (
              <tr key={c.platform} data-testid={`results-row-${benchmark}-${c.platform}`}>
                <td>{PLATFORM_INFO[c.platform].title}</td>
                <td data-testid={`results-n-${benchmark}-${c.platform}`}>{c.n}</td>
                <td className={c.failed > 0 ? 'bad' : ''}>{c.failed}</td>
                <td data-testid={`results-mean-${benchmark}-${c.platform}`}>{fmt(c.mean)}</td>
                <td>{fmt(c.median)}</td>
                <td>{fmt(c.sd)}</td>
                <td>{c.cvPercent === null ? '—' : `${fmt(c.cvPercent)}%`}</td>
                <td>{c.ciLow === null ? '—' : `${fmt(c.ciLow)} – ${fmt(c.ciHigh)}`}</td>
                {reference ? (
                  <td>
                    {c.platform === reference
                      ? 'reference'
                      : r?.ratio != null
                        ? `×${fmt(r.ratio)}${r.overheadPercent != null ? ` (${r.overheadPercent >= 0 ? '+' : ''}${fmt(r.overheadPercent)}% overhead)` : ''}`
                        : '—'}
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
