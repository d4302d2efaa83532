/** CSV files of a bundle: samples.csv, summary.csv and the classic course layout (time,value). */
import type { BenchmarkId } from '../../shared/catalogue';
import type { Sample } from '../../shared/sample';
import type { Summary } from '../../shared/stats/summaryTypes';
import { targetOf } from '../../shared/targets';

/** Quotes a field when needed; text starting with = + - @ is prefixed with ' (spreadsheet formula injection). */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = typeof v === 'string' ? v : JSON.stringify(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csv(header: string[], rows: unknown[][]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}

/**
 * Meta keys promoted to their own columns (the rest stays in the meta JSON column): the
 * target's label and every variant field, so a spreadsheet can pivot on them.
 */
const META_COLUMNS = [
  'targetLabel',
  'vcpus',
  'memoryMiB',
  'accel',
  'kvmEnabled',
  'diskFormat',
  'cacheMode',
  'preallocation',
  'network',
  'diskOn',
];

export function samplesCsv(samples: readonly Sample[]): string {
  return csv(
    [
      'runId',
      'platform',
      'target',
      'benchmark',
      'rep',
      'metric',
      'value',
      'unit',
      'startedAt',
      'durationMs',
      'exitCode',
      'error',
      ...META_COLUMNS,
      'metrics',
    ],
    samples.map((s) => [
      s.runId,
      s.platform,
      targetOf(s),
      s.benchmark,
      s.rep,
      s.metric,
      s.value,
      s.unit,
      s.startedAt,
      s.durationMs,
      s.exitCode,
      s.error ?? '',
      ...META_COLUMNS.map((k) => {
        const v = s.meta[k];
        return typeof v === 'number' || typeof v === 'string'
          ? v
          : typeof v === 'boolean'
            ? String(v)
            : '';
      }),
      JSON.stringify(s.metrics),
    ]),
  );
}

export function summaryCsv(summary: Summary): string {
  return csv(
    [
      'platform',
      'target',
      'benchmark',
      'metric',
      'main',
      'unit',
      'direction',
      'n',
      'failed',
      'mean',
      'median',
      'sd',
      'cv_percent',
      'ci95_low',
      'ci95_high',
      'ci95_halfwidth_percent',
      'min',
      'max',
      'outlier_reps',
      'reference',
      'relative',
      'relative_ci_low',
      'relative_ci_high',
      'overhead_percent',
      'welch_p',
      'verdict',
      'more_repetitions_per_side',
      'ci_method',
      'geo_mean',
      'comparison',
    ],
    summary.cells.map((c) => {
      const r = summary.ratios.find(
        (x) => targetOf(x) === targetOf(c) && x.benchmark === c.benchmark && x.metric === c.metric,
      );
      const refTarget = summary.referenceTarget ?? summary.reference;
      const isRef = targetOf(c) === refTarget;
      return [
        c.platform,
        targetOf(c),
        c.benchmark,
        c.metric,
        c.main,
        c.unit,
        c.direction,
        c.n,
        c.failed,
        c.mean,
        c.median,
        c.sd,
        c.cvPercent,
        c.ciLow,
        c.ciHigh,
        c.ciPercent,
        c.min,
        c.max,
        c.outlierReps.join(' '),
        refTarget ?? '',
        isRef ? 1 : r?.relative,
        r?.relativeLow,
        r?.relativeHigh,
        isRef ? 0 : r?.overheadPercent,
        r?.welch?.p,
        isRef ? '' : (r?.verdict ?? ''),
        r?.moreRepetitions,
        c.ciMethod ?? '',
        c.geoMean,
        // How the ratio was estimated: paired-rounds / paired-instances / instances / unpaired.
        isRef || !r ? '' : r.design === undefined || r.design === 'pooled' ? 'unpaired' : r.design,
      ];
    }),
  );
}

/**
 * The classic course layout: one file per target × benchmark (`<target>-<benchmark>.csv`;
 * the target is the platform id when nothing varies), `time,value` (Unix seconds, main metric).
 */
export function classicCsvFiles(samples: readonly Sample[]): { name: string; content: string }[] {
  const groups = new Map<string, { benchmark: BenchmarkId; rows: [number, number][] }>();
  for (const s of samples) {
    const key = `${targetOf(s)}-${s.benchmark}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { benchmark: s.benchmark, rows: [] }));
    if (s.value === null) continue;
    const t = Date.parse(s.startedAt);
    g.rows.push([Number.isFinite(t) ? Math.round(t / 1000) : 0, s.value]);
  }
  return [...groups.entries()].map(([key, g]) => ({
    name: `${key}.csv`,
    content: csv(['time', 'value'], g.rows),
  }));
}
