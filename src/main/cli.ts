/**
 * Headless entry point (composition root for the CLI): `benchvisor <command>`.
 * The commands are in cli/commands.ts, each loaded when asked for; the engine's modules load
 * with the engine, on first use.
 */
import type { Engine } from './composition';
import type { CliContext } from './cli/command';
import { COMMANDS } from './cli/commands';
import { dispatch } from './cli/dispatch';
import { SHUTDOWN_SIGNALS, createShutdown } from './process/shutdown';
import { hostSupportNote } from './shell/hostSupport';

/** Runs the CLI against real process streams; installs signal and exit cleanup. Returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  let engine: Engine | null = null;
  const interruptHandlers = new Set<() => void>();
  let commandDone: Promise<number> | null = null;
  // One shutdown path (process/shutdown.ts): the first signal asks the command to stop (a run
  // is cancelled and marked so, serve closes) and waits for it, bounded; then everything the
  // engine tracks is stopped. Copies of the signal are ignored; a late one forces.
  const shutdown = createShutdown({
    cleanup: async () => {
      const graceful = interruptHandlers.size > 0;
      for (const h of interruptHandlers) h();
      if (graceful && commandDone) await commandDone;
      await engine?.shutdown();
    },
    force: () => {
      engine?.tracker.killAllSync();
      engine?.staging.removeAllSync();
    },
    exit: (code) => process.exit(code),
    log: (line) => process.stderr.write(`\n${line}\n`),
  });
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, () => shutdown.onSignal(signal));
  process.on('exit', () => {
    engine?.tracker.killAllSync();
    engine?.staging.removeAllSync();
  });
  const ctx: CliContext = {
    io: { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() },
    engine: async () => {
      if (engine) return engine;
      const { createEngine } = await import('./composition');
      return (engine ??= createEngine({ env: process.env }));
    },
    onInterrupt: (h) => {
      interruptHandlers.add(h);
      return () => interruptHandlers.delete(h);
    },
  };
  const note = hostSupportNote(process.platform);
  if (note) process.stderr.write(`benchvisor: ${note}\n`);
  commandDone = dispatch(argv, COMMANDS, ctx);
  const code = await commandDone;
  // After a signal the shutdown owns the end (it exits with the signal's code).
  if (shutdown.started) return new Promise<number>(() => undefined);
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
