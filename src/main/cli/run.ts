/**
 * `benchvisor run <config.json> [--out DIR] [--skip-unavailable] [--allow-overcommit]`: a headless
 * experiment. Progress on stderr, the run folder's path as the last stdout line.
 */
import { resolve } from 'node:path';
import { parseExperimentConfig, type ExperimentConfig } from '../../shared/config';
import { parseCommandArgs } from './args';
import { EXIT, UsageError, type CliCommand } from './command';
import { readConfigText } from './configFile';
import { followRun, writeRunEnd } from './followRun';
import { runOnHosts } from './runOnHosts';

const USAGE = `Usage: benchvisor run <config.json> [--out DIR] [--skip-unavailable] [--allow-overcommit]
                      [--host NAME]...

Runs an experiment headless. Progress goes to stderr; the last line on stdout
is the path of the run folder.
  --out DIR            create the run folder inside DIR (default: the runs folder)
  --skip-unavailable   run what is available, record why the rest was skipped
  --allow-overcommit   let a VM have more vCPUs than this host has CPUs (recorded)
  --host NAME          run on a lab host (benchvisor hosts add) instead of here; several
                       --host run in parallel, each copied home when it ends
Before anything starts, the guest shape is checked against this host (memory,
CPUs, free disk space); a config the host cannot give is refused with the field.
Exit codes: 0 all repetitions succeeded, 1 some failed (samples kept),
2 invalid config, unavailable platforms or a shape the host cannot give, 130 interrupted.`;

/** Reads and validates a config file; errors name the file and the field. */
export function loadConfigFile(
  path: string,
): { ok: true; config: ExperimentConfig } | { ok: false; message: string } {
  const read = readConfigText(path);
  if (!read.ok) return read;
  let json: unknown;
  try {
    json = JSON.parse(read.text);
  } catch (e) {
    return { ok: false, message: `config file ${path} is not valid JSON: ${(e as Error).message}` };
  }
  const parsed = parseExperimentConfig(json);
  if (!parsed.ok) {
    const lines = parsed.message.split('\n').map((l) => `  ${l}`);
    return { ok: false, message: `invalid config ${path}:\n${lines.join('\n')}` };
  }
  return parsed;
}

export const runCommand: CliCommand = {
  name: 'run',
  summary: 'run an experiment from a config file (headless)',
  usage: USAGE,
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(args, {
      out: { type: 'string' },
      'skip-unavailable': { type: 'boolean' },
      'allow-overcommit': { type: 'boolean' },
      host: { type: 'string', multiple: true },
    });
    if (positionals.length !== 1) throw new UsageError('expected exactly one config file');
    const path = resolve(ctx.io.cwd, positionals[0]!);
    const loaded = loadConfigFile(path);
    if (!loaded.ok) {
      ctx.io.stderr.write(`benchvisor: ${loaded.message}\n`);
      return EXIT.usage;
    }
    const config = {
      ...loaded.config,
      ...(values['skip-unavailable'] ? { skipUnavailable: true } : {}),
      ...(values['allow-overcommit'] ? { allowOvercommit: true } : {}),
    };
    const hosts = values.host as unknown as string[] | undefined;
    if (hosts && hosts.length > 0) {
      if (values.out) throw new UsageError('--out applies to runs on this machine, not --host');
      return runOnHosts(ctx, hosts, config);
    }
    const engine = await ctx.engine();
    const runner = engine.createRunner();
    const follower = followRun(ctx, runner);
    const out = typeof values.out === 'string' ? resolve(ctx.io.cwd, values.out) : undefined;
    const started = await runner.start(config, out ? { parentDir: out } : {});
    if (!started.ok) {
      follower.stop();
      ctx.io.stderr.write(`benchvisor: ${started.error.message}\n`);
      return started.error.code === 'UNAVAILABLE' || started.error.code === 'INVALID_CONFIG'
        ? EXIT.usage
        : EXIT.failed;
    }
    ctx.io.stderr.write(`run ${started.value.runId} → ${started.value.dir}\n`);
    const { finished, interrupted } = await follower.finish(started.value.finished);
    writeRunEnd(ctx.io, finished, follower.samples, finished.runId);
    ctx.io.stdout.write(`${finished.dir}\n`);
    if (interrupted || finished.status === 'cancelled') return EXIT.interrupted;
    return finished.status === 'completed' ? EXIT.ok : EXIT.failed;
  },
};
