/**
 * The experiment runner: target × benchmark × repetition, one target after
 * another (so they never disturb each other's measurements); a target is a
 * platform with one combination of the varied guest shape (shared/targets.ts),
 * prepared, measured and disposed in turn. Warmups
 * discarded, per-repetition timeouts, adaptive repetition counts, cancel,
 * and typed events for progress, samples, console data and logs.
 */
import type { BenchmarkId } from '../../shared/catalogue';
import type { ExperimentConfig } from '../../shared/config';
import type { PlatformId } from '../../shared/platforms';
import type { FinishedEvent, RunStatus } from '../../shared/run';
import type { Sample } from '../../shared/sample';
import { AppFailure, err, ok, type Result } from '../../shared/result';
import { expandTargets, targetConfig, targetShape, type Target } from '../../shared/targets';
import type { BenchmarkRunner } from '../benchmarks/types';
import type { Platform, PlatformSession } from '../platforms/platform';
import type { ProcessTracker } from '../process/tracker';
import { systemClock, type Clock } from './clock';
import { TypedEmitter } from './emitter';
import type { RunnerEvents } from './events';
import { describeSkips, planExperiment, type PlannedCell } from './plan';
import { hostPreflight, type HostFacts } from './hostLimits';
import { ActiveRun } from './activeRun';
import type { RunStore, RunWriter } from './runStore';
import { recordFailedRepetition, runCell, type CellDeps, type DecideStop } from './cellRunner';
import type { HostCpuSampler } from './hostCpuSampler';
import { watchSession } from './watchSession';

export type { CellRecord } from './cells';
export type { DecideStop } from './cellRunner';

export interface ExperimentRunnerDeps {
  platforms: readonly Platform[];
  runners: Partial<Record<BenchmarkId, BenchmarkRunner>>;
  store: RunStore;
  tracker: ProcessTracker;
  clock?: Clock;
  /** Host facts for environment.json. */
  collectEnvironment?: () => Promise<unknown>;
  /** Adaptive stop rule; required for configs with repetitions.adaptive.enabled. */
  decideStop?: DecideStop;
  /** Measures the host's CPU split during each repetition (sample meta.hostCpu). */
  hostCpu?: HostCpuSampler;
  /** Called before each run is planned (the engine sweeps orphans of crashed runs here, once). */
  beforeRun?: () => Promise<void>;
  /** Builds summary.json from the samples (src/shared/stats). */
  summarize?: (samples: Sample[]) => unknown;
  /** This host's CPUs, memory and free space for the host preflight (hostLimits.ts); none: no preflight. */
  hostFacts?: () => HostFacts;
}

export interface StartOptions {
  /** Folder in which to create the run folder (instead of the store's runs directory). */
  parentDir?: string;
}

export interface RunHandle {
  runId: string;
  dir: string;
  /** Resolves when the run ended (never rejects). */
  finished: Promise<FinishedEvent>;
}

/** The target of a platform whose session is live, else its first target (or the platform id). */
function liveTargetOf(run: ActiveRun, platform: PlatformId): string {
  for (const id of run.sessions.keys()) if (run.targets.get(id)?.platform === platform) return id;
  for (const t of run.targets.values()) if (t.platform === platform) return t.id;
  return platform;
}

/** A platform that refused to prepare because it cannot run here (AppFailure UNAVAILABLE). */
function isUnavailable(e: unknown): boolean {
  return e instanceof AppFailure && e.code === 'UNAVAILABLE';
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class ExperimentRunner extends TypedEmitter<RunnerEvents> {
  private readonly clock: Clock;
  private readonly cellDeps: CellDeps;
  private active: ActiveRun | null = null;

  constructor(private readonly deps: ExperimentRunnerDeps) {
    super();
    this.clock = deps.clock ?? systemClock;
    this.cellDeps = { runners: deps.runners, clock: this.clock };
    if (deps.decideStop) this.cellDeps.decideStop = deps.decideStop;
    if (deps.hostCpu) this.cellDeps.hostCpu = deps.hostCpu;
  }

  /** The run in progress, if any. */
  get current(): { runId: string; dir: string; platforms: PlatformId[] } | null {
    const a = this.active;
    return a ? { runId: a.runId, dir: a.dir, platforms: [...a.config.platforms] } : null;
  }

  /**
   * Checks availability, creates the run folder and starts the run in the
   * background. Refuses (UNAVAILABLE) when a platform or benchmark cannot run
   * here, unless config.skipUnavailable; BUSY when a run is in progress.
   */
  async start(config: ExperimentConfig, opts: StartOptions = {}): Promise<Result<RunHandle>> {
    if (this.active) return err('BUSY', `run ${this.active.runId} is still in progress`);
    if (config.repetitions.adaptive.enabled && !this.deps.decideStop) {
      return err(
        'INVALID_CONFIG',
        'repetitions.adaptive: this engine has no adaptive stop rule (stats module missing)',
      );
    }
    if (this.deps.beforeRun) {
      try {
        await this.deps.beforeRun();
      } catch {
        /* cleanup of earlier runs must never block this one */
      }
    }
    const expansion = expandTargets(config);
    if (!expansion.ok) return err('INVALID_CONFIG', expansion.message);
    const targetsOf = (p: PlatformId): Target[] =>
      expansion.targets.filter((t) => t.platform === p);
    const plan = await planExperiment(config, this.deps.platforms, this.deps.runners);
    const unavailable = plan.skipped.filter((s) => s.kind === 'unavailable');
    if (unavailable.length > 0 && !config.skipUnavailable) {
      return err(
        'UNAVAILABLE',
        `cannot run here:\n${describeSkips(unavailable)}\n(set "skipUnavailable": true or pass --skip-unavailable to run the rest)`,
        { skipped: unavailable },
      );
    }
    if (plan.platforms.length === 0) {
      return err('UNAVAILABLE', `nothing to run:\n${describeSkips(plan.skipped)}`, {
        skipped: plan.skipped,
      });
    }
    const host = this.deps.hostFacts
      ? hostPreflight(
          config,
          plan.platforms.map((p) => ({
            id: p.platform.id,
            benchmarks: p.cells.map((c) => c.benchmark),
          })),
          this.deps.hostFacts(),
          opts.parentDir ?? this.deps.store.runsDir,
        )
      : ok([]);
    if (!host.ok) return host;
    if (this.active) return err('BUSY', 'another run started meanwhile');

    let writer: RunWriter;
    try {
      writer = this.deps.store.create(config, {
        ...(opts.parentDir ? { parentDir: opts.parentDir } : {}),
        now: this.clock.now(),
      });
    } catch (e) {
      return err('IO_ERROR', `cannot create the run folder: ${errorText(e)}`);
    }
    const run = new ActiveRun(writer, config, this, this.clock);
    run.setTargets(expansion.targets, targetShape);
    this.active = run;
    if (host.value.length > 0) {
      writer.updateExperiment({ overcommit: host.value });
      for (const o of host.value)
        run.log(
          'warn',
          `${o.platform}: ${o.vcpus} vCPUs on a host with ${o.hostCpus} CPUs (allowOvercommit): its vCPUs share CPUs`,
          o.platform,
        );
    }
    writer.updateExperiment({
      skipped: plan.skipped.map((s) => ({
        platform: s.platform,
        ...(s.benchmark ? { benchmark: s.benchmark } : {}),
        reason: s.reason,
      })),
    });
    // A platform skipped as a whole skips every benchmark of the config: one cell each.
    for (const s of plan.skipped) {
      const benchmarks = s.benchmark ? [s.benchmark] : config.benchmarks.map((b) => b.id);
      for (const benchmark of benchmarks.flatMap((b) =>
        targetsOf(s.platform).map((t) => [b, t.id] as const),
      )) {
        run.cells.push({
          platform: s.platform,
          target: benchmark[1],
          benchmark: benchmark[0],
          status: 'skipped',
          measured: 0,
          failed: 0,
          warmup: 0,
          reason: s.reason,
        });
      }
    }
    const ad = config.repetitions.adaptive;
    // Each planned platform once per target: its cells carry the target id.
    const work = plan.platforms.flatMap(({ platform, cells }) =>
      targetsOf(platform.id).map((target) => ({
        platform,
        target,
        cells: cells.map((c) => ({ ...c, target: target.id })),
      })),
    );
    for (const w of work) {
      for (const c of w.cells) {
        const measured = ad.enabled ? ad.maxRepetitions : config.repetitions.count;
        run.progress.add(c.target, c.benchmark.id, config.repetitions.warmup + measured);
      }
    }
    const finished = this.execute(run, work, plan.skipped).catch((e: unknown) =>
      this.crashed(run, e),
    );
    return ok({ runId: run.runId, dir: run.dir, finished });
  }

  /** Cancels the run in progress: kills its processes; samples so far are kept. */
  cancel(runId?: string): boolean {
    const a = this.active;
    if (!a || (runId !== undefined && runId !== a.runId) || a.abort.signal.aborted) return false;
    a.log('warn', 'cancel requested: stopping the running benchmark');
    a.abort.abort();
    return true;
  }

  /**
   * Keyboard input to a target's console (without a target: the platform's live
   * one; targets run one after another). False when it has no live session.
   */
  write(platform: PlatformId, data: string, runId?: string, target?: string): boolean {
    const a = this.active;
    if (!a || (runId !== undefined && runId !== a.runId)) return false;
    const id = target ?? liveTargetOf(a, platform);
    const t = a.targets.get(id);
    if (t && t.platform !== platform) return false;
    return a.sessions.get(id)?.write(data) ?? false;
  }

  /** The recent console output of a target (default: the platform's live or only one). */
  consoleHistory(
    platform: PlatformId,
    runId?: string,
    target?: string,
  ): { data: string; offset: number } | null {
    const a = this.active;
    if (!a || (runId !== undefined && runId !== a.runId)) return null;
    return a.consoleHistory(target ?? liveTargetOf(a, platform));
  }

  private async execute(
    run: ActiveRun,
    work: { platform: Platform; target: Target; cells: PlannedCell[] }[],
    skipped: { platform: PlatformId; benchmark?: BenchmarkId; reason: string }[],
  ): Promise<FinishedEvent> {
    for (const s of skipped) {
      run.log(
        'warn',
        `skipped ${s.platform}${s.benchmark ? ` / ${s.benchmark}` : ''}: ${s.reason}`,
        s.platform,
      );
    }
    if (this.deps.collectEnvironment) {
      try {
        run.writer.writeEnvironment(await this.deps.collectEnvironment());
      } catch (e) {
        run.log('warn', `could not collect the environment: ${errorText(e)}`);
      }
    }
    run.emitProgress(null);
    for (const { platform, target, cells } of work) {
      if (run.abort.signal.aborted) {
        for (const c of cells)
          run.endCell(
            c,
            'cancelled',
            { measured: 0, failed: 0, warmup: 0 },
            'cancelled before it started',
          );
        continue;
      }
      await this.runTarget(run, platform, target, cells);
    }
    return this.finish(run);
  }

  /** Prepares one target, runs its cells, disposes it (whatever happened). */
  private async runTarget(
    run: ActiveRun,
    platform: Platform,
    target: Target,
    cells: PlannedCell[],
  ): Promise<void> {
    const id = platform.id;
    const varied = target.id !== id;
    const name = varied ? `${id} (${target.label})` : id;
    run.log('info', `preparing ${name}`, id);
    let session: PlatformSession;
    try {
      session = await platform.prepare({
        runId: run.runId,
        ...(varied ? { target: target.id } : {}),
        config: targetConfig(run.config, target),
        runDir: run.dir,
        console: { data: (chunk) => run.consoleData(target.id, chunk) },
        log: (level, message) => run.log(level, message, id),
        signal: run.abort.signal,
      });
    } catch (e) {
      if (!run.abort.signal.aborted && isUnavailable(e) && run.config.skipUnavailable) {
        // Found unavailable only when it tried (e.g. KVM that fails to start): skipped, as in the plan.
        const reason = `${id} is unavailable: ${errorText(e)}`;
        run.log('warn', `skipped ${id}: ${reason}`, id);
        for (const c of cells)
          run.endCell(c, 'skipped', { measured: 0, failed: 0, warmup: 0 }, reason);
        return;
      }
      const reason = run.abort.signal.aborted
        ? 'cancelled while preparing'
        : `${name} failed to prepare: ${errorText(e)}`;
      run.log(run.abort.signal.aborted ? 'warn' : 'error', reason, id);
      for (const c of cells) this.failCell(run, c, reason, run.abort.signal.aborted);
      return;
    }
    let deadReason: string | null = null;
    const watched = watchSession(session, (f) => {
      if (f.code === 'GUEST_FAILED') deadReason = `${name} died: ${f.message}`;
    });
    run.sessions.set(target.id, session);
    try {
      // The target's resolved shape, then the session's facts (truth over intention).
      let meta: Record<string, unknown> = run.targetMeta(target.id);
      try {
        meta = { ...meta, ...(await session.meta()), target: target.id, targetLabel: target.label };
      } catch (e) {
        run.log('warn', `could not read ${name} facts: ${errorText(e)}`, id);
      }
      for (const cell of cells) {
        if (run.abort.signal.aborted) {
          run.endCell(
            cell,
            'cancelled',
            { measured: 0, failed: 0, warmup: 0 },
            'cancelled before it started',
          );
          continue;
        }
        if (deadReason !== null) {
          this.failCell(run, cell, deadReason, false);
          continue;
        }
        await runCell(this.cellDeps, run, watched, cell, meta, () => deadReason);
      }
    } finally {
      run.sessions.delete(target.id);
      try {
        await session.dispose();
      } catch (e) {
        run.log('warn', `cleaning up ${name} failed: ${errorText(e)}`, id);
      }
    }
  }

  /** Every planned repetition of the cell fails with the same reason (platform failed/died). */
  private failCell(run: ActiveRun, cell: PlannedCell, reason: string, cancelled: boolean): void {
    if (cancelled) {
      run.endCell(cell, 'cancelled', { measured: 0, failed: 0, warmup: 0 }, reason);
      return;
    }
    const reps = run.config.repetitions;
    const n = reps.adaptive.enabled ? reps.adaptive.minRepetitions : reps.count;
    for (let rep = 1; rep <= n; rep++) recordFailedRepetition(this.clock, run, cell, rep, reason);
    run.endCell(cell, 'failed', { measured: n, failed: n, warmup: 0 }, reason);
  }

  private async finish(run: ActiveRun): Promise<FinishedEvent> {
    const failed = run.samples.filter((s) => s.value === null).length;
    const measured = run.samples.length;
    let status: RunStatus;
    let message: string;
    if (run.abort.signal.aborted) {
      status = 'cancelled';
      message = `cancelled after ${measured} repetitions (samples kept)`;
    } else if (failed > 0) {
      status = 'failed';
      message = `${failed} of ${measured} repetitions failed (samples kept)`;
    } else {
      status = 'completed';
      message = `${measured} repetitions completed`;
    }
    run.writer.writeCells(run.cells);
    if (this.deps.summarize) {
      try {
        run.writer.writeSummary(this.deps.summarize(run.samples));
      } catch (e) {
        run.log('warn', `could not summarise: ${errorText(e)}`);
      }
    }
    run.log(status === 'completed' ? 'info' : 'warn', message);
    run.writer.updateExperiment({ status, finishedAt: this.clock.now().toISOString(), message });
    await run.writer.close();
    this.active = null;
    const event: FinishedEvent = {
      runId: run.runId,
      status,
      dir: run.dir,
      failed,
      measured,
      message,
    };
    this.emit('run:finished', event);
    return event;
  }

  /** Last resort when the runner itself threw: record it and still end the run cleanly. */
  private async crashed(run: ActiveRun, e: unknown): Promise<FinishedEvent> {
    const message = `internal error: ${errorText(e)}`;
    try {
      run.log('error', message);
      for (const s of run.sessions.values()) await s.dispose().catch(() => undefined);
      run.writer.updateExperiment({
        status: 'failed',
        finishedAt: this.clock.now().toISOString(),
        message,
      });
      await run.writer.close();
    } catch {
      /* nothing more we can do */
    }
    this.active = null;
    const event: FinishedEvent = {
      runId: run.runId,
      status: 'failed',
      dir: run.dir,
      failed: run.samples.filter((s) => s.value === null).length,
      measured: run.samples.length,
      message,
    };
    this.emit('run:finished', event);
    return event;
  }
}
