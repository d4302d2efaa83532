/** `benchvisor delete <runId>`: removes a run folder from the runs folder (by id only), damaged ones too. */
import { parseCommandArgs } from './args';
import { EXIT, UsageError, type CliCommand } from './command';
import { escapeControl } from './textTable';

const USAGE = `Usage: benchvisor delete <runId>

Deletes a run's folder from the runs folder, by run id only (never a path),
damaged runs included (see "benchvisor list"). This cannot be undone.`;

export const deleteCommand: CliCommand = {
  name: 'delete',
  summary: 'delete a run (by id) from the runs folder',
  usage: USAGE,
  async run(args, ctx) {
    const { positionals } = parseCommandArgs(args, {});
    if (positionals.length !== 1) throw new UsageError('name exactly one run id');
    const runId = positionals[0] as string;
    ctx.engine().store.remove(runId);
    ctx.io.stderr.write(`deleted run ${escapeControl(runId)}\n`);
    return EXIT.ok;
  },
};
