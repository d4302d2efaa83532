/**
 * `benchvisor agent --engine`: the detached engine that owns the runs started through the agent
 * (agent/engineDaemon.ts), built on this CLI's engine. Loaded only by that process.
 */
import { appendFileSync, statSync } from 'node:fs';
import { agentHandlers } from '../agent/agentHandlers';
import { agentPaths } from '../agent/agentPaths';
import { engineIdleMs, runEngineDaemon } from '../agent/engineDaemon';
import { packageVersion, serviceForEngine } from '../api/appService';
import type { CliContext } from './command';

/**
 * True once the file this process was started from has changed since (a rebuild or an upgrade
 * rewrites the CLI's entry), or is gone.
 */
export function entryChangedSince(entry: string): () => boolean {
  const mtimeAt = (): number | null => {
    try {
      return statSync(entry).mtimeMs;
    } catch {
      return null;
    }
  };
  const started = mtimeAt();
  return () => mtimeAt() !== started;
}

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
  const idle = engineIdleMs(ctx.io.env);
  if (idle.problem) log(idle.problem);
  const entry = process.argv[1];
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
    idleMs: idle.ms,
    installChanged: entry ? entryChangedSince(entry) : undefined,
    log,
    stop: stopped,
  });
  off();
  if (outcome === 'taken') await app.dispose();
}
