/** `benchvisor delete <runId>`: removes a run folder from the runs folder (by id only), damaged ones too. */
import { parseCommandArgs } from './args';
import { EXIT, UsageError, type CliCommand } from './command';
import { escapeControl } from './textTable';

const USAGE = `Usage: benchvisor delete <runId>

Deletes a run's folder from the runs folder, by run id only (never a path),
damaged runs included (see "benchvisor list"). This cannot be undone.
A run still being measured (by the app, another "benchvisor run", or this
machine's part of a run over lab hosts) is refused until it has ended.

Exit status: 0 deleted, 2 no such run or still being measured.`;

export const deleteCommand: CliCommand = {
  name: 'delete',
  summary: 'delete a run (by id) from the runs folder',
  usage: USAGE,
  async run(args, ctx) {
    const { positionals } = parseCommandArgs(args, {});
    if (positionals.length !== 1) throw new UsageError('name exactly one run id');
    const runId = positionals[0] as string;
    const store = (await ctx.engine()).store;
    // "running" only while its process lives (a killed one's run reads interrupted).
    if (store.list().some((i) => i.runId === runId && i.status === 'running')) {
      ctx.io.stderr.write(
        `benchvisor delete: run ${escapeControl(runId)} is still being measured: wait until it has ended or cancel it, then delete it\n`,
      );
      return EXIT.usage;
    }
    store.remove(runId);
    ctx.io.stderr.write(`deleted run ${escapeControl(runId)}\n`);
    return EXIT.ok;
  },
};
