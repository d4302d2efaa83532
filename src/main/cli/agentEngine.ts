/**
 * `benchvisor agent --engine`: the detached engine that owns the runs started through the agent
 * (agent/engineDaemon.ts), built on this CLI's engine. Loaded only by that process.
 */
import { appendFileSync } from 'node:fs';
import { agentHandlers } from '../agent/agentHandlers';
import { agentPaths } from '../agent/agentPaths';
import { runEngineDaemon } from '../agent/engineDaemon';
import { packageVersion, serviceForEngine } from '../api/appService';
import type { CliContext } from './command';

/** Serves until the engine leaves (idle, or a signal: the active run is cancelled then). */
export async function serveAgentEngine(ctx: CliContext): Promise<void> {
  const engine = await ctx.engine();
  const paths = agentPaths(engine.paths.dataDir);
  const app = serviceForEngine(engine, undefined, { labHosts: false });
  const log = (line: string): void => {
    try {
      appendFileSync(paths.log, `${new Date().toISOString()} ${line}\n`);
    } catch {
      /* the log is best effort */
    }
  };
  let stop!: () => void;
  const stopped = new Promise<void>((r) => (stop = r));
  const off = ctx.onInterrupt(() => {
    app.service.cancelActive();
    stop();
  });
  const outcome = await runEngineDaemon({
    paths,
    app,
    agent: agentHandlers(engine.paths.exportsDir, engine.host),
    version: packageVersion(engine.paths.root),
    log,
    stop: stopped,
  });
  off();
  if (outcome === 'taken') await app.dispose();
}
