/** Dispatches argv to a command; prints help and usage errors. Returns the exit code. */
import { AppFailure } from '../../shared/appFailure';
import { EXIT, UsageError, type CliCommand, type CliContext, type CommandEntry } from './command';

export function formatHelp(commands: readonly CliCommand[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: benchvisor <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run "benchvisor <command> --help" for the options of a command.',
    'Environment: BENCHVISOR_RUNS (runs folder), BENCHVISOR_CACHE (cache folder).',
  ].join('\n');
}

/** Every command loaded, for the help that lists them all. */
const loadAll = (entries: readonly CommandEntry[]): Promise<CliCommand[]> =>
  Promise.all(entries.map((e) => e.load()));

export async function dispatch(
  argv: string[],
  entries: readonly CommandEntry[],
  ctx: CliContext,
): Promise<number> {
  const [name, ...rest] = argv;
  const { stdout, stderr } = ctx.io;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? entries.find((c) => c.name === rest[0]) : undefined;
    stdout.write((topic ? (await topic.load()).usage : formatHelp(await loadAll(entries))) + '\n');
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const entry = entries.find((c) => c.name === name);
  if (!entry) {
    stderr.write(
      `benchvisor: unknown command "${name}"\n\n${formatHelp(await loadAll(entries))}\n`,
    );
    return EXIT.usage;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    stdout.write(command.usage + '\n');
    return EXIT.ok;
  }
  try {
    return await command.run(rest, ctx);
  } catch (e) {
    if (e instanceof UsageError) {
      stderr.write(`benchvisor ${name}: ${e.message}\n\n${command.usage}\n`);
      return EXIT.usage;
    }
    if (e instanceof AppFailure) {
      stderr.write(`benchvisor ${name}: ${e.message}\n`);
      return e.code === 'INVALID_INPUT' || e.code === 'INVALID_CONFIG' || e.code === 'NOT_FOUND'
        ? EXIT.usage
        : EXIT.failed;
    }
    stderr.write(
      `benchvisor ${name}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    return EXIT.failed;
  }
}
