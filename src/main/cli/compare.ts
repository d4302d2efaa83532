/**
 * `benchvisor compare <baseline> <candidate> [--json]`: two runs cell by cell
 * (platform × benchmark, main metric): both means, the candidate's speed
 * relative to the baseline with its 95% CI, Welch's p and a verdict, so "did
 * raw vs qcow2 (or any other change) matter, or is it noise?" has an answer.
 */
import { benchmarkTitle, formatValue, platformTitle } from '../../shared/plots';
import { formatP, speedText, speedWithInterval } from '../../shared/format';
import { targetLabelOf } from '../../shared/targets';
import {
  compareRuns,
  NO_INTERVAL_TEXT,
  NOISE_THRESHOLD_PERCENT,
  summarize,
  VERDICT_WORDS,
  verdictText,
  type RunComparisonRow,
} from '../../shared/stats';
import type { RunListItem } from '../../shared/run';
import { parseCommandArgs } from './args';
import { EXIT, UsageError, type CliCommand } from './command';
import { loadRunArg } from './runArg';
import { escapeControl, formatColumns } from './textTable';

const USAGE = `Usage: benchvisor compare <baseline run> <candidate run> [--json]

Compares two runs (ids, or folders named with a slash: ./x) for every platform × benchmark both measured:
speed of the candidate relative to the baseline (> 1 = the candidate did better,
whatever the metric's direction) with its 95% CI (log scale), Welch's p, and a
verdict: faster / slower (the CI excludes 1), same within noise (the CI lies
within ±${NOISE_THRESHOLD_PERCENT}%), inconclusive (with about how many more repetitions per side would
settle it), or too-few (a side has fewer than 2 successful repetitions).
  --json   print {baseline, candidate, rows} as JSON on stdout (verdict codes:
           faster, slower, same, inconclusive, too-few)`;

function runLine(role: string, item: RunListItem): string {
  return `${role} ${escapeControl(item.runId)}  ${escapeControl(item.name)} · ${item.sampleCount} samples${item.imported ? ' · imported' : ''}`;
}

export function formatComparison(
  baseline: RunListItem,
  candidate: RunListItem,
  rows: readonly RunComparisonRow[],
): string {
  const out = [runLine('baseline ', baseline), runLine('candidate', candidate), ''];
  if (rows.length === 0) {
    out.push('The two runs have no target × benchmark in common: nothing to compare.');
    return out.join('\n');
  }
  const table = formatColumns(
    [
      'BENCHMARK',
      'PLATFORM',
      'BASELINE (n)',
      'CANDIDATE (n)',
      'CANDIDATE SPEED (95% CI)',
      'WELCH P',
      'VERDICT',
    ],
    rows.map((r) => [
      benchmarkTitle(r.benchmark),
      r.target === r.platform ? platformTitle(r.platform) : targetLabelOf(r.platform, r.target),
      `${formatValue(r.baselineMean)} ${r.unit} (${r.baselineN})`,
      `${formatValue(r.candidateMean)} ${r.unit} (${r.candidateN})`,
      r.relativeLow !== null
        ? speedWithInterval(r.relative, r.relativeLow, r.relativeHigh)
        : `${speedText(r.relative)} (${NO_INTERVAL_TEXT})`,
      r.welchP === null ? '—' : formatP(r.welchP),
      verdictText(r),
    ]),
  );
  out.push(table, '');
  const count = (v: RunComparisonRow['verdict']) => rows.filter((r) => r.verdict === v).length;
  out.push(
    `candidate vs baseline: ${count('faster')} ${VERDICT_WORDS.faster}, ${count('slower')} ${VERDICT_WORDS.slower}, ` +
      `${count('same')} ${VERDICT_WORDS.same}, ${count('inconclusive')} ${VERDICT_WORDS.inconclusive}, ` +
      `${count('too-few')} with ${VERDICT_WORDS['too-few']}`,
  );
  return out.join('\n');
}

export const compareCommand: CliCommand = {
  name: 'compare',
  summary: 'compare two runs cell by cell (speed ratio, CI, Welch p)',
  usage: USAGE,
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' } });
    if (positionals.length !== 2)
      throw new UsageError('name exactly two runs: the baseline and the candidate');
    const store = (await ctx.engine()).store;
    const load = (run: string) => loadRunArg(store, run, ctx.io.cwd);
    const baseline = load(positionals[0] as string);
    const candidate = load(positionals[1] as string);
    const rows = compareRuns(summarize(baseline.samples), summarize(candidate.samples));
    ctx.io.stdout.write(
      values.json
        ? JSON.stringify({ baseline: baseline.item, candidate: candidate.item, rows }, null, 2) +
            '\n'
        : formatComparison(baseline.item, candidate.item, rows) + '\n',
    );
    return EXIT.ok;
  },
};
