/**
 * `benchvisor show <runId|dir> [--json]`: a run's results in the terminal, for
 * headless lab machines: findings (with held / not held for expectations),
 * then one statistics table per benchmark, then how each cell ended. The same
 * facts as report.md, recomputed from the samples.
 */
import { findingLabel } from '../../shared/findings';
import { benchmarkTitle, formatValue } from '../../shared/plots';
import type { Sample } from '../../shared/sample';
import { referenceChoices } from '../../shared/stats/reference';
import { buildReportFacts, type ReportFacts } from '../export/reportModel';
import { reportColumns, reportTables, rowHeader, type ReportRow } from '../export/reportTables';
import { escapeControlInJson } from '../../shared/controlText';
import { systemFacts, type SystemFact } from '../../shared/host/systemFacts';
import { parseCommandArgs } from './args';
import { EXIT, UsageError, type CliCommand } from './command';
import { loadRunArg } from './runArg';
import { escapeControl, formatColumns, indentLines, wrapText } from './textTable';

const USAGE = `Usage: benchvisor show <runId|./run-folder> [--reference TARGET] [--json]

Prints a run's findings and statistics (mean, 95% CI on the log scale, CV, speed
relative to the reference platform with its CI, and the verdict against it) in the
terminal; imported runs included. A run folder is named by a path with a slash
(./x, /abs/x); a bare word is a run id.
  --reference TARGET  take ratios and verdicts against this target (an id as listed,
                      e.g. qemu-tcg.raw.cache-none); default native, or the first target
                      of a run with variants and no native
  --json   print {run, summary, findings, system} as JSON on stdout
The SYSTEM section lists the host the run was measured on (CPU, cores, memory,
kernel, governor, mitigations, virtualized or not) and the load during it.`;

/** Terminal width the findings' explanations are wrapped to. */
const WRAP_COLUMNS = 100;
/** The statistics columns that fit a terminal (the rest are in report.md). */
const SHOWN_COLUMNS: readonly (keyof ReportRow)[] = [
  'platform',
  'n',
  'mean',
  'ci',
  'cv',
  'relative',
  'overhead',
  'verdict',
];

export function formatRunReport(facts: ReportFacts): string {
  const out: string[] = [];
  out.push(escapeControl(facts.name || facts.runId));
  out.push(
    `run ${escapeControl(facts.runId)} · ${facts.status}${facts.imported ? ' (imported)' : ''}${facts.host !== undefined ? ` · ran on host ${escapeControl(facts.host)}` : ''} · started ${facts.startedAt} · ${facts.sampleCount} samples${facts.failedCount ? `, ${facts.failedCount} failed` : ''}`,
  );
  const order = facts.settings.find(([k]) => k === 'Order');
  if (order) out.push(`order: ${order[1]}`);
  out.push('', 'FINDINGS');
  if (facts.findings.length === 0) out.push('  none: nothing unusual was detected');
  for (const f of facts.findings) {
    const badge = `[${findingLabel(f)}]`;
    out.push(`  ${badge} ${escapeControl(f.title)}`);
    out.push(`    ${wrapText(escapeControl(f.explanation), WRAP_COLUMNS - 4, '    ')}`);
    const nums = Object.entries(f.numbers).filter(([, v]) => v !== null);
    if (nums.length > 0) {
      const text = nums
        .map(([k, v]) => `${k}: ${typeof v === 'number' ? formatValue(v) : String(v)}`)
        .join(' · ');
      out.push(`    ${wrapText(escapeControl(text), WRAP_COLUMNS - 4, '    ')}`);
    }
  }
  const columns = reportColumns(facts.summary).filter((c) => SHOWN_COLUMNS.includes(c.key));
  for (const t of reportTables(facts)) {
    out.push(
      '',
      `${benchmarkTitle(t.benchmark).toUpperCase()}  ${escapeControl(t.unit || t.metric)}, ${t.direction} is better`,
    );
    const header = columns.map((c) => c.title);
    const rows = t.rows.map((r) => columns.map((c) => r[c.key]));
    out.push(indentLines(formatColumns(header, rows), '  '));
  }
  const unusual = facts.cells.filter((c) => c.status !== 'completed');
  if (unusual.length > 0) {
    out.push('', 'CELLS THAT DID NOT COMPLETE');
    const rows = unusual.map((c) => [c.platform, c.benchmark, c.status, c.note]);
    out.push(
      indentLines(
        formatColumns(
          [rowHeader(facts.summary).toUpperCase(), 'BENCHMARK', 'STATUS', 'NOTE'],
          rows,
        ),
        '  ',
      ),
    );
  }
  return out.join('\n');
}

/** The run's System facts (shared/host/systemFacts.ts) as an indented two-column block. */
export function formatSystem(facts: readonly SystemFact[]): string {
  const rows = facts.map((f) => [f.label, escapeControl(f.value)]);
  return ['SYSTEM', indentLines(formatColumns(['FACT', 'VALUE'], rows), '  ')].join('\n');
}

/** Refuses (UsageError) a --reference that is not a target of the run, listing the targets. */
export function checkReference(samples: readonly Sample[], reference: string): void {
  const known = referenceChoices(samples).map((c) => c.id);
  if (!known.includes(reference))
    throw new UsageError(
      `--reference: ${escapeControl(reference)} is not a target of this run (targets: ${known.map((k) => escapeControl(k)).join(', ')})`,
    );
}

export const showCommand: CliCommand = {
  name: 'show',
  summary: "print a run's findings and statistics",
  usage: USAGE,
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(args, {
      json: { type: 'boolean' },
      reference: { type: 'string' },
    });
    if (positionals.length !== 1) throw new UsageError('name exactly one run (its id or folder)');
    const store = (await ctx.engine()).store;
    const detail = loadRunArg(store, positionals[0] as string, ctx.io.cwd);
    const reference = typeof values.reference === 'string' ? values.reference : undefined;
    if (reference !== undefined) checkReference(detail.samples, reference);
    const facts = buildReportFacts(
      detail,
      store.readCells(detail.item.dir),
      reference ? { reference } : {},
    );
    const system = systemFacts(detail.environment, detail.samples);
    ctx.io.stdout.write(
      values.json
        ? // JSON.stringify escapes C0 characters but leaves C1 and bidi ones raw.
          escapeControlInJson(
            JSON.stringify(
              { run: detail.item, summary: facts.summary, findings: facts.findings, system },
              null,
              2,
            ),
          ) + '\n'
        : `${formatRunReport(facts)}\n\n${formatSystem(system)}\n`,
    );
    return EXIT.ok;
  },
};
