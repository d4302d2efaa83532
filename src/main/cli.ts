/**
 * Headless entry point (composition root for the CLI): `benchvisor <command>`.
 * Adding a command: write src/main/cli/<name>.ts exporting a CliCommand and add it to COMMANDS.
 */
import { createEngine, type Engine } from './composition';
import type { CliCommand, CliContext } from './cli/command';
import { dispatch } from './cli/dispatch';
import { agentCommand } from './cli/agent';
import { compareCommand } from './cli/compare';
import { deleteCommand } from './cli/delete';
import { doctorCommand } from './cli/doctor';
import { exportCommand } from './cli/export';
import { hostsCommand } from './cli/hosts';
import { importCommand } from './cli/import';
import { listCommand } from './cli/list';
import { runCommand } from './cli/run';
import { serveCommand } from './cli/serve';
import { showCommand } from './cli/show';

const COMMANDS: CliCommand[] = [
  runCommand,
  doctorCommand,
  listCommand,
  showCommand,
  compareCommand,
  exportCommand,
  importCommand,
  deleteCommand,
  serveCommand,
  agentCommand,
  hostsCommand,
];

/** Runs the CLI against real process streams; installs signal and exit cleanup. Returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  let engine: Engine | null = null;
  const interruptHandlers = new Set<() => void>();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    interrupts++;
    if (interrupts > 1 || interruptHandlers.size === 0) {
      // Second signal, or nothing to cancel gracefully: kill what we started and leave.
      engine?.tracker.killAllSync();
      engine?.staging.removeAllSync();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
    process.stderr.write(`\nbenchvisor: ${signal} received, cancelling (again to force)\n`);
    for (const h of interruptHandlers) h();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', () => {
    engine?.tracker.killAllSync();
    engine?.staging.removeAllSync();
  });
  const ctx: CliContext = {
    io: { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() },
    engine: () => (engine ??= createEngine({ env: process.env })),
    onInterrupt: (h) => {
      interruptHandlers.add(h);
      return () => interruptHandlers.delete(h);
    },
  };
  const code = await dispatch(argv, COMMANDS, ctx);
  if (engine) await (engine as Engine).shutdown();
  return code;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(
      `benchvisor: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    process.exitCode = 1;
  },
);
