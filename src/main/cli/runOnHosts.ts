/**
 * `benchvisor run cfg.json --host NAME [--host NAME ...]`: the experiment on lab hosts, all in
 * parallel (separate machines do not disturb each other), progress per host on stderr, each run
 * copied home when it ends. One failing host does not disturb the others.
 */
import type { ExperimentConfig } from '../../shared/config';
import type { Host } from '../../shared/hosts';
import { packageVersion } from '../api/appService';
import { combineHostRuns } from '../hosts/hostComparison';
import { HostStore } from '../hosts/hostStore';
import type { FetchedRun } from '../hosts/remoteFetch';
import { RemoteRun, type RemoteOutcome } from '../hosts/remoteRun';
import { formatNumber } from '../../shared/format';
import { EXIT, type CliContext } from './command';
import { formatDuration } from './progressView';
import { escapeControl } from './textTable';

function hostLine(ctx: CliContext, host: string, text: string): void {
  ctx.io.stderr.write(`[${host}] ${escapeControl(text)}\n`);
}

async function runOne(
  ctx: CliContext,
  host: Host,
  config: ExperimentConfig,
  register: (run: RemoteRun) => void,
): Promise<RemoteOutcome | null> {
  const engine = await ctx.engine();
  let last = '';
  const say = (t: string) => hostLine(ctx, host.name, t);
  const started = await RemoteRun.start(host, config, {
    env: ctx.io.env,
    tracker: engine.tracker,
    version: packageVersion(engine.paths.root),
    runsDir: engine.paths.runsDir,
    exportsDir: engine.paths.exportsDir,
    staging: engine.staging,
    observer: {
      progress: (e) => (last = `${e.done}/${e.total}, ETA ${formatDuration(e.etaMs)}`),
      sample: (s) =>
        say(
          `[${last}] ${s.platform} ${s.benchmark} rep ${s.rep}: ${s.value === null ? `FAILED: ${s.error ?? 'unknown error'}` : `${formatNumber(s.value)} ${s.unit}`}`,
        ),
      log: (e) => e.level !== 'info' && say(`${e.level}: ${e.message}`),
      console: () => undefined,
      notice: say,
    },
  });
  if (!started.ok) {
    if (started.problem) say(`${started.problem.message}\n    fix: ${started.problem.fix}`);
    else say(`cannot start: ${started.error?.message ?? 'unknown error'}`);
    return null;
  }
  register(started.run);
  say(`run ${started.run.remoteRunId} started there`);
  const outcome = await started.run.finished;
  if (outcome.local)
    say(
      `${outcome.status}: copied home as run ${outcome.local.runId} (${outcome.local.samples} samples)`,
    );
  else say(`${outcome.status}: ${outcome.error ?? 'not copied home'}`);
  return outcome;
}

export async function runOnHosts(
  ctx: CliContext,
  names: string[],
  config: ExperimentConfig,
): Promise<number> {
  const store = new HostStore((await ctx.engine()).paths.dataDir);
  const hosts = [...new Set(names)].map((n) => store.require(n));
  const runs: RemoteRun[] = [];
  let interrupted = false;
  const unregister = ctx.onInterrupt(() => {
    interrupted = true;
    for (const r of runs) r.cancel();
  });
  const outcomes = await Promise.all(
    hosts.map((h) =>
      runOne(ctx, h, config, (r) => {
        runs.push(r);
        if (interrupted) r.cancel();
      }),
    ),
  );
  unregister();
  for (const o of outcomes) if (o?.local) ctx.io.stdout.write(`${o.local.dir}\n`);
  const copied = outcomes.filter(
    (o): o is RemoteOutcome & { local: FetchedRun } => o?.local != null,
  );
  if (copied.length >= 2) {
    const combined = combineHostRuns(
      (await ctx.engine()).paths.runsDir,
      copied.map((o) => ({ host: o.host, dir: o.local.dir })),
    );
    ctx.io.stderr.write(
      `one comparison by host: run ${combined.runId} (benchvisor show ${combined.runId})\n`,
    );
    ctx.io.stdout.write(`${combined.dir}\n`);
  }
  if (interrupted) return EXIT.interrupted;
  return outcomes.every((o) => o?.status === 'completed' && o.local) ? EXIT.ok : EXIT.failed;
}
