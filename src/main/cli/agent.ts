/**
 * `benchvisor agent`: the engine's API over stdin/stdout for a desktop app that reaches this
 * machine through SSH (one JSON message per line, a hello first; shared/agentProtocol.ts).
 * `--engine` is the detached engine the relays attach to (started by the relay itself).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { agentPaths } from '../agent/agentPaths';
import { runStdioRelay } from '../agent/stdioRelay';
import { defaultAppPaths } from '../util/appPaths';
import { parseCommandArgs } from './args';
import { EXIT, UsageError, type CliCommand } from './command';

const USAGE = `Usage: benchvisor agent

Speaks Benchvisor's API on stdin/stdout, one JSON message per line, for a desktop app
that reaches this machine through SSH (\`benchvisor hosts add\` on the desktop). It listens
on no port. Runs belong to a background engine for this data folder (BENCHVISOR_DATA), so a
dropped connection does not end them; the engine leaves when no app is attached and no run
is active.`;

/** Starts the detached engine: this same CLI with `agent --engine`, its output in the log. */
function startEngine(env: NodeJS.ProcessEnv, cwd: string, logPath: string, dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const fd = openSync(logPath, 'a');
  const script = process.argv[1];
  if (!script) throw new Error('cannot tell how this CLI was started');
  const child = spawn(process.execPath, [...process.execArgv, script, 'agent', '--engine'], {
    detached: true,
    stdio: ['ignore', fd, fd],
    env,
    cwd,
  });
  child.unref();
}

export const agentCommand: CliCommand = {
  name: 'agent',
  summary: "the engine's API on stdin/stdout (for an app on another machine, over SSH)",
  usage: USAGE,
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(args, { engine: { type: 'boolean' } });
    if (positionals.length > 0) throw new UsageError('agent takes no arguments');
    if (!values.engine) {
      const paths = agentPaths(defaultAppPaths(ctx.io.env).dataDir);
      const code = await runStdioRelay({
        socketPath: paths.socket,
        startEngine: () => startEngine(ctx.io.env, ctx.io.cwd, paths.log, paths.dir),
        stdin: process.stdin,
        stdout: process.stdout,
      });
      if (code !== 0)
        ctx.io.stderr.write(`benchvisor agent: the engine did not start: see ${paths.log}\n`);
      return code === 0 ? EXIT.ok : EXIT.failed;
    }
    // Only the engine loads the engine's modules: the relay above starts without them.
    const { serveAgentEngine } = await import('./agentEngine');
    await serveAgentEngine(ctx);
    return EXIT.ok;
  },
};
