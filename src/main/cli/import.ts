/** `benchvisor import <file.zip>`: validates a bundle and adds it to the runs folder as an imported run. */
import { resolve } from 'node:path';
import { importBundle } from '../export';
import { AppFailure } from '../../shared/result';
import { parseCommandArgs } from './args';
import { EXIT, UsageError, type CliCommand } from './command';
import { escapeControl } from './textTable';

const USAGE = `Usage: benchvisor import <file.zip>

Validates a result bundle (schema, sizes, no path escapes) and adds it to the
runs folder, marked as imported; it then shows in "benchvisor list" and the app.
The imported run's folder is the last line on stdout. Exit code 2 when the bundle is invalid.`;

export const importCommand: CliCommand = {
  name: 'import',
  summary: 'import a result bundle (.zip) into the runs folder',
  usage: USAGE,
  async run(args, ctx) {
    const { positionals } = parseCommandArgs(args, {});
    if (positionals.length !== 1) throw new UsageError('name exactly one bundle file');
    const file = resolve(ctx.io.cwd, positionals[0] as string);
    try {
      const engine = await ctx.engine();
      const res = await importBundle(file, {
        runsDir: engine.store.runsDir,
        staging: engine.staging,
      });
      ctx.io.stderr.write(
        `imported run ${res.runId}${res.runId !== res.originalRunId ? ` (was ${escapeControl(res.originalRunId)})` : ''} with ${res.samples} samples\n`,
      );
      ctx.io.stdout.write(res.dir + '\n');
      return EXIT.ok;
    } catch (e) {
      if (e instanceof AppFailure && e.code === 'BUNDLE_INVALID') {
        ctx.io.stderr.write(`benchvisor import: invalid bundle: ${e.message}\n`);
        return EXIT.usage;
      }
      throw e;
    }
  },
};
