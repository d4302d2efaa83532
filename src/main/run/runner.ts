/**
 * The experiment runner: target × benchmark × repetition in the order the config asks
 * (designSchedules.ts: interleaved rounds by default, or sequential; never two targets
 * measuring at once); a target is a platform with one combination of the varied guest shape
 * (shared/targets.ts), prepared, measured and disposed (targetRun.ts, targetPreparation.ts).
 * This file starts a run (planned by runPlanning.ts), answers cancel/console calls while it runs,
 * and ends it (cells.json, summary, the finished event). Warmups discarded,
 * per-repetition timeouts, adaptive repetition counts (measureOnce.ts; by whole rounds in
 * interleaved order: designSchedules.ts).
 */
import type { BenchmarkId } from '../../shared/catalogue';
import type { ExperimentConfig } from '../../shared/config';
import type { PlatformId } from '../../shared/platforms';
import type { FinishedEvent } from '../../shared/run';
import { err, errorText, ok, toAppError, type Result } from '../../shared/result';
import { targetShape } from '../../shared/targets';
import { systemClock, type Clock } from './clock';
import { TypedEmitter } from './emitter';
import type { RunnerEvents } from './events';
import { groupsText } from '../host/roomForAll';
import { closingWrite, runOutcome } from './runOutcome';
import { ActiveRun } from './activeRun';
import type { RunWriter } from '../store/runStore';
import { cancelBeforeStart } from './cellEnd';
import type { ExperimentRunnerDeps, RunNote } from './runnerDeps';
import { planRun, type PlannedRun } from './runPlanning';
import { stepCell, type CellDeps } from './measureOnce';
import type { TargetWork } from './liveTarget';
import { recordOvercommit, recordSkipped, targetWork } from './runWork';
import { scheduleFor } from './designSchedules';
import type { Schedule, ScheduleOps } from './schedule';
import { closeTarget, openTarget } from './targetRun';
import { extensionGroups, planExtension, type RunExtension } from './runExtension';
import {
  beginExtension,
  continueNumbering,
  endExtension,
  extensionRefused,
} from './runExtensionWork';

export type { CellRecord } from './cells';
export type { DecideStop } from './measureOnce';

export type { ExperimentRunnerDeps, RunNote } from './runnerDeps';

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

export class ExperimentRunner extends TypedEmitter<RunnerEvents> {
  private readonly clock: Clock;
  private readonly cellDeps: CellDeps;
  /** A fixed order for every run (tests); absent: the config's (designSchedules.ts). */
  private readonly schedule: Schedule | undefined;
  private active: ActiveRun | null = null;

  constructor(private readonly deps: ExperimentRunnerDeps) {
    super();
    this.clock = deps.clock ?? systemClock;
    this.schedule = deps.schedule;
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
    const notes = await this.beforeRun();
    const planned = await planRun(this.deps, config, opts.parentDir);
    if (!planned.ok) return planned;
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
    return ok(this.launch(writer, config, planned.value, null, notes));
  }

  /**
   * "Run N more repetitions": appends `repetitions` more per cell to a finished run of the
   * store, on the same targets with the same config (runExtension.ts). Refuses (BUSY,
   * INVALID_INPUT, UNAVAILABLE, NOT_FOUND) with the reason when it cannot, changing nothing.
   */
  async extend(
    runId: string,
    repetitions: number,
  ): Promise<Result<RunHandle & { config: ExperimentConfig }>> {
    if (this.active) return err('BUSY', `run ${this.active.runId} is still in progress`);
    let planned: Result<RunExtension>;
    try {
      planned = planExtension(this.deps.store.get(runId), repetitions);
    } catch (e) {
      return { ok: false, error: toAppError(e) };
    }
    if (!planned.ok) return planned;
    const ext = planned.value;
    const notes = await this.beforeRun();
    const plan = await planRun(this.deps, ext.config);
    if (!plan.ok) return err(plan.error.code, extensionRefused(runId, plan.error.message));
    if (this.active) return err('BUSY', 'another run started meanwhile');
    let writer: RunWriter;
    try {
      writer = this.deps.store.reopen(runId);
    } catch (e) {
      return { ok: false, error: toAppError(e) };
    }
    return ok({ ...this.launch(writer, ext.config, plan.value, ext, notes), config: ext.config });
  }

  private async beforeRun(): Promise<RunNote[]> {
    if (!this.deps.beforeRun) return [];
    try {
      return (await this.deps.beforeRun()) ?? [];
    } catch (e) {
      // cleanup of earlier runs must never block this one
      return [{ level: 'warn', message: `cleanup before the run failed: ${errorText(e)}` }];
    }
  }

  /** Starts a planned run (new, or the extension of a finished one) in the background. */
  private launch(
    writer: RunWriter,
    config: ExperimentConfig,
    planned: PlannedRun,
    ext: RunExtension | null,
    notes: RunNote[],
  ): RunHandle {
    const { targets, plan, host } = planned;
    const run = new ActiveRun(writer, config, this, this.clock);
    for (const n of notes) run.log(n.level, n.message);
    this.deps.notesLogged?.();
    run.setTargets(targets, targetShape);
    this.active = run;
    if (ext === null) {
      recordOvercommit(run, host.overcommit);
      recordSkipped(run, plan.skipped, targets);
    } else beginExtension(run, ext, this.clock.now());
    const work = targetWork(run, plan);
    if (ext) continueNumbering(work, ext);
    // "Run N more" interleaves the groups the run recorded, not the ones this host would pick now.
    const groups = ext
      ? extensionGroups(
          ext.design,
          plan.targets.map((p) => p.target.id),
          host.groups,
        )
      : host.groups;
    const chosen = scheduleFor(config, targets, ext?.design?.seed, ext?.start, groups);
    if (groups) {
      const how = ext?.design?.groups
        ? `interleaving in the ${groups.length} groups the run recorded`
        : `this host cannot hold every target at once: interleaving in ${groups.length} groups that fit`;
      run.log(
        'warn',
        `${how} (${groupsText(groups)}); targets of different groups are not paired by round`,
      );
    }
    if (ext === null) run.writer.updateExperiment({ design: chosen.design });
    const schedule = this.schedule ?? chosen.schedule;
    const finished = this.execute(run, work, plan.skipped, schedule).catch((e: unknown) =>
      this.crashed(run, e),
    );
    return { runId: run.runId, dir: run.dir, finished };
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
   * Keyboard input to a target's console (without a target: the target that is its
   * platform, when nothing varies for it). False when that target has no live session.
   */
  write(platform: PlatformId, data: string, runId?: string, target?: string): boolean {
    const a = this.active;
    if (!a || (runId !== undefined && runId !== a.runId)) return false;
    const id = target ?? platform;
    const t = a.targets.get(id);
    if (t && t.platform !== platform) return false;
    const written = a.sessions.get(id)?.write(data) ?? false;
    if (written) a.consoleInput.typed(id, data);
    return written;
  }

  private async execute(
    run: ActiveRun,
    work: TargetWork[],
    skipped: { platform: PlatformId; benchmark?: BenchmarkId; reason: string }[],
    schedule: Schedule,
  ): Promise<FinishedEvent> {
    for (const s of skipped) {
      run.log(
        'warn',
        `skipped ${s.platform}${s.benchmark ? ` / ${s.benchmark}` : ''}: ${s.reason}`,
        s.platform,
      );
    }
    // An extended run keeps the environment its first measurements recorded.
    if (this.deps.collectEnvironment && run.previous === null) {
      try {
        run.writer.writeEnvironment(await this.deps.collectEnvironment());
      } catch (e) {
        run.log('warn', `could not collect the environment: ${errorText(e)}`);
      }
    }
    run.emitProgress(null);
    await schedule.run(work, this.scheduleOps(run));
    return this.finish(run);
  }

  /** What a schedule may do with the run's targets and cells. */
  private scheduleOps(run: ActiveRun): ScheduleOps {
    const deps = this.cellDeps;
    return {
      cancelled: () => run.cancelled,
      open: (work) => openTarget(deps, run, work),
      step: async (live, cell) => {
        run.setTargetState(live.target.id, 'measuring');
        try {
          return await stepCell(deps, run, live, cell);
        } finally {
          run.setTargetState(live.target.id, 'live');
        }
      },
      close: (live, work) => closeTarget(deps, run, live, work.cells),
      skip: (work) => {
        for (const c of work.cells) if (!c.ended) cancelBeforeStart(run, c);
      },
    };
  }

  private async finish(run: ActiveRun): Promise<FinishedEvent> {
    const failed = run.samples.filter((s) => s.value === null).length;
    const measured = run.samples.length;
    const { status, message } = runOutcome(run, measured, failed);
    // On a full disk the reserve was released for these; should they still not fit, the
    // samples on disk stay the record (the summary is derived, the status reads interrupted).
    closingWrite(run, () => run.writer.writeCells(run.cellsForFile()));
    if (this.deps.summarize) {
      try {
        run.writer.writeSummary(this.deps.summarize(run.allSamples()));
      } catch (e) {
        run.log('warn', `could not summarise: ${errorText(e)}`);
      }
    }
    run.log(status === 'completed' ? 'info' : 'warn', message);
    const finishedAt = this.clock.now().toISOString();
    closingWrite(run, () =>
      run.writer.updateExperiment({
        ...(run.previous ? endExtension(run, { finishedAt, measured, failed, status }) : {}),
        status,
        finishedAt,
        message,
      }),
    );
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
