/** Everything a report shows, computed once from a run (used by report.html and report.md). */
import { runOrderText } from '../../shared/runDesign';
import { hostConditionsText } from '../../shared/host/conditions';
import type { RunDetail } from '../../shared/api';
import { computeFindings } from '../../shared/findings';
import { configExpectations } from '../../shared/findings/context';
import { describeExpectation } from '../../shared/findings/expectationText';
import type { Finding } from '../../shared/findings';
import { allChartSpecs } from '../../shared/plots';
import { summarize } from '../../shared/stats/summary';
import { defaultReference } from '../../shared/stats/reference';
import { targetLabelOf } from '../../shared/targets';
import { PlatformId } from '../../shared/platforms';
import type { Summary } from '../../shared/stats/summaryTypes';
import { renderSvg } from './svg';

export interface ReportChart {
  /** File stem under plots/ ("normalized", "linpack"). */
  name: string;
  title: string;
  svg: string;
}

export interface CellNote {
  /** The target's title ("QEMU TCG · qcow2"), or the platform id as before variants. */
  platform: string;
  benchmark: string;
  status: string;
  note: string;
}

export interface ReportModel {
  runId: string;
  name: string;
  startedAt: string;
  finishedAt: string | null;
  status: string;
  imported: boolean;
  /** The lab host the run ran on (absent: this machine). */
  host?: string;
  sampleCount: number;
  failedCount: number;
  summary: Summary;
  findings: Finding[];
  charts: ReportChart[];
  /** Label/value pairs about the host and tools. */
  environment: [string, string][];
  /** Label/value pairs about the experiment's settings. */
  settings: [string, string][];
  /** Per cell: status and why it stopped (adaptive) or failed. */
  cells: CellNote[];
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function text(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function environmentFacts(env: unknown): [string, string][] {
  if (!isRecord(env)) return [];
  const out: [string, string][] = [];
  const pick: [string, string][] = [
    ['cpuModel', 'CPU'],
    ['cores', 'Cores'],
    ['memoryMiB', 'Memory (MiB)'],
    ['kernel', 'Kernel'],
    ['governor', 'Frequency governor'],
    ['loadAverage', 'Load average'],
    ['hostname', 'Host'],
    ['kvm', 'KVM'],
  ];
  for (const [k, label] of pick) if (k in env) out.push([label, text(env[k])]);
  if (isRecord(env.host))
    out.push(['Host conditions before the run', hostConditionsText(env.host)]);
  if (isRecord(env.tools)) for (const [k, v] of Object.entries(env.tools)) out.push([k, text(v)]);
  return out;
}

function settingsFacts(experiment: unknown): [string, string][] {
  if (!isRecord(experiment) || !isRecord(experiment.config)) return [];
  const c = experiment.config;
  const out: [string, string][] = [];
  if (Array.isArray(c.platforms)) out.push(['Platforms', c.platforms.map(text).join(', ')]);
  if (typeof c.profile === 'string') out.push(['Profile', c.profile]);
  if (Array.isArray(c.benchmarks)) {
    out.push([
      'Benchmarks',
      c.benchmarks
        .map((b) =>
          isRecord(b)
            ? `${text(b.id)} ${isRecord(b.params) ? JSON.stringify(b.params) : ''}`.trim()
            : text(b),
        )
        .join('; '),
    ]);
  }
  if (isRecord(c.guest))
    out.push([
      'Guest shape',
      Object.entries(c.guest)
        .map(([k, v]) => `${k}=${text(v)}`)
        .join(', '),
    ]);
  if (isRecord(c.docker))
    out.push([
      'Docker',
      Object.entries(c.docker)
        .map(([k, v]) => `${k}=${text(v)}`)
        .join(', '),
    ]);
  const expectations = configExpectations(c);
  if (expectations.length > 0)
    out.push(['Expectations', expectations.map(describeExpectation).join('; ')]);
  if (isRecord(c.repetitions)) {
    const r = c.repetitions;
    const ad = isRecord(r.adaptive) ? r.adaptive : null;
    out.push([
      'Repetitions',
      ad && ad.enabled === true
        ? `adaptive: ${text(ad.minRepetitions)}–${text(ad.maxRepetitions)} reps, target CI ±${text(ad.targetCiPercent)}%, at least ${text(ad.minSeconds)} s; warmup ${text(r.warmup)}`
        : `${text(r.count)} (warmup ${text(r.warmup)})`,
    ]);
  }
  out.push(['Order', runOrderText(experiment)]);
  return out;
}

function cellNotes(cells: unknown): CellNote[] {
  if (!Array.isArray(cells)) return [];
  return cells.filter(isRecord).map((c) => {
    const adaptive = isRecord(c.adaptive) ? c.adaptive : null;
    const parts = [`${text(c.measured)} measured`];
    if (typeof c.failed === 'number' && c.failed > 0) parts.push(`${c.failed} failed`);
    if (adaptive) parts.push(`stopped: ${text(adaptive.stopReason)}`);
    if (typeof c.reason === 'string') parts.push(c.reason);
    // cells.json may come from someone's bundle: a label only for a known platform.
    const platform = PlatformId.safeParse(c.platform);
    const target =
      platform.success && typeof c.target === 'string' && c.target !== c.platform ? c.target : null;
    return {
      platform:
        target && platform.success ? targetLabelOf(platform.data, target) : text(c.platform),
      benchmark: text(c.benchmark),
      status: text(c.status),
      note: parts.join('; '),
    };
  });
}

/** Everything a report shows except the rendered charts. */
export type ReportFacts = Omit<ReportModel, 'charts'>;

export interface ReportOptions {
  /** Target (or platform) the ratios are taken against; default native, or a variant run's first target. */
  reference?: string;
}

/** The report's facts: summary and findings recomputed from the samples (no chart rendering). */
export function buildReportFacts(
  detail: RunDetail,
  cells?: unknown,
  options: ReportOptions = {},
): ReportFacts {
  const reference = options.reference ?? defaultReference(detail.samples);
  const summary = summarize(detail.samples, reference ? { reference } : {});
  const config = isRecord(detail.experiment) ? detail.experiment.config : undefined;
  const skipped = isRecord(detail.experiment) ? detail.experiment.skipped : undefined;
  const findings = computeFindings({
    samples: detail.samples,
    summary,
    environment: detail.environment,
    config,
    skipped,
  });
  return {
    runId: detail.item.runId,
    name: detail.item.name,
    startedAt: detail.item.startedAt,
    finishedAt: detail.item.finishedAt ?? null,
    status: detail.item.status,
    imported: detail.item.imported,
    ...(detail.item.host !== undefined ? { host: detail.item.host } : {}),
    sampleCount: detail.samples.length,
    failedCount: detail.samples.filter((s) => s.value === null).length,
    summary,
    findings,
    environment: environmentFacts(detail.environment),
    settings: settingsFacts(detail.experiment),
    cells: cellNotes(cells),
  };
}

/** Builds the report model: the facts plus every chart rendered to SVG. */
export async function buildReportModel(
  detail: RunDetail,
  cells?: unknown,
  options: ReportOptions = {},
): Promise<ReportModel> {
  const facts = buildReportFacts(detail, cells, options);
  const label = detail.item.name || detail.item.runId;
  const charts: ReportChart[] = [];
  for (const c of allChartSpecs([{ runId: detail.item.runId, label, summary: facts.summary }])) {
    charts.push({ name: c.name, title: c.title, svg: await renderSvg(c.spec) });
  }
  return { ...facts, charts };
}
