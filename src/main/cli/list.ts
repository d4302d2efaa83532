/** `benchvisor list [--json]`: past runs, newest first. */
import type { RunListItem } from '../../shared/run';
import { parseCommandArgs } from './args';
import { EXIT, type CliCommand } from './command';
import { escapeControl, formatColumns } from './textTable';

const USAGE = `Usage: benchvisor list [--json]

Lists past runs in the runs folder (BENCHVISOR_RUNS or ~/.local/share/benchvisor/runs).
A run folder that cannot be read is listed as damaged, with the reason.
  --json   print the list as JSON on stdout`;

export function formatRunList(items: RunListItem[]): string {
  if (items.length === 0) return 'no runs yet';
  const rows = items.map((r) => [
    r.runId,
    (r.damaged !== undefined ? 'damaged' : r.status) + (r.imported ? ' (imported)' : ''),
    r.damaged !== undefined
      ? '—'
      : `${r.sampleCount} samples${r.failedCount ? `, ${r.failedCount} failed` : ''}`,
    r.platforms.join(','),
    r.host ?? 'here',
    r.name,
  ]);
  const out = [formatColumns(['RUN', 'STATUS', 'SAMPLES', 'PLATFORMS', 'HOST', 'NAME'], rows)];
  for (const r of items) {
    if (r.damaged === undefined) continue;
    out.push(
      `damaged ${escapeControl(r.runId)}: ${escapeControl(r.damaged)} (remove it: benchvisor delete ${escapeControl(r.runId)})`,
    );
  }
  return out.join('\n');
}

export const listCommand: CliCommand = {
  name: 'list',
  summary: 'list past runs',
  usage: USAGE,
  async run(args, ctx) {
    const { values } = parseCommandArgs(args, { json: { type: 'boolean' } });
    const items = (await ctx.engine()).store.list();
    ctx.io.stdout.write(
      values.json ? JSON.stringify(items, null, 2) + '\n' : formatRunList(items) + '\n',
    );
    return EXIT.ok;
  },
};
