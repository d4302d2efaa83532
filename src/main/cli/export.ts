/** `benchvisor export <runId|dir> --out file.zip`: writes a result bundle. */
import { resolve } from 'node:path';
import { exportRunDetail } from '../export';
import { parseCommandArgs } from './args';
import { EXIT, UsageError, type CliCommand } from './command';
import { loadRunArg } from './runArg';

const USAGE = `Usage: benchvisor export <runId|./run-folder> --out <file.zip>

Writes a result bundle: the run folder, report.html (self-contained), report.md,
plots/*.svg, csv/samples.csv, csv/summary.csv and csv/<platform>-<benchmark>.csv.
  --out FILE   the zip file to write (parent folders are created)
The path of the written file is the last line on stdout.`;

export const exportCommand: CliCommand = {
  name: 'export',
  summary: 'export a run as a result bundle (.zip)',
  usage: USAGE,
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(args, { out: { type: 'string', short: 'o' } });
    if (positionals.length !== 1) throw new UsageError('name exactly one run (its id or folder)');
    if (typeof values.out !== 'string' || values.out === '')
      throw new UsageError('--out <file.zip> is required');
    const out = resolve(ctx.io.cwd, values.out);
    const store = (await ctx.engine()).store;
    const detail = loadRunArg(store, positionals[0] as string, ctx.io.cwd);
    const result = await exportRunDetail(detail, out, store.readCells(detail.item.dir));
    ctx.io.stderr.write(
      `exported ${result.entries.length} entries (${(result.bytes / 1024 / 1024).toFixed(2)} MiB)\n`,
    );
    ctx.io.stdout.write(result.file + '\n');
    return EXIT.ok;
  },
};
