/**
 * The experiment runner: platform × benchmark × repetition, one platform
 * after another (so they never disturb each other's measurements), warmups
 * discarded, per-repetition timeouts, adaptive repetition counts, cancel,
 * and typed events for progress, samples, console data and logs.
 */
import { CATALOGUE, type BenchmarkId } from '../../shared/catalogue';
import type { ExperimentConfig, ResolvedBenchmark } from '../../shared/config';
import type { PlatformId } from '../../shared/platforms';
import type { FinishedEvent, LogEvent, RunStatus } from '../../shared/run';
import type { Sample } from '../../shared/sample';
import { err, ok, type Result } from '../../shared/result';
import type { AdaptiveRule, StopDecision } from '../../shared/stats/adaptive';
import type { BenchmarkRunner, RepetitionOutcome } from '../benchmarks/types';
import type { ExecRequest, ExecResult, Platform, PlatformSession } from '../platforms/platform';
import type { ProcessTracker } from '../process/tracker';
import { systemClock, type Clock } from './clock';
import { TypedEmitter } from './emitter';
import type { RunnerEvents } from './events';
import { describeSkips, planExperiment, type PlannedCell } from './plan';
import { ProgressTracker } from './progress';
import type { RunStore, RunWriter } from './runStore';

/** Extra time past the repetition timeout before the runner gives up on a benchmark runner itself. */
const TIMEOUT_GRACE_MS = 10_000;
/** After cancel, how long a benchmark runner gets to return before the runner stops waiting for it. */
const CANCEL_GRACE_MS = 5_000;
/** Console bytes kept in memory per platform for console history (rebuild a terminal). */
const CONSOLE_HISTORY_BYTES = 1024 * 1024;

/** decideStop from src/shared/stats/adaptive.ts (owned by the results work). */
export type DecideStop = (
  values: number[],
  elapsedSeconds: number,
  rule: AdaptiveRule,
) => StopDecision;

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
  /** Called before each run is planned (the engine sweeps orphans of crashed runs here, once). */
  beforeRun?: () => Promise<void>;
  /** Builds summary.json from the samples (src/shared/stats). */
  summarize?: (samples: Sample[]) => unknown;
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

/** Per cell record written to cells.json. */
export interface CellRecord {
  platform: PlatformId;
  benchmark: BenchmarkId;
  status: 'completed' | 'failed' | 'partial' | 'cancelled' | 'skipped' | 'pending';
  measured: number;
  failed: number;
  warmup: number;
  reason?: string;
  adaptive?: { rule: AdaptiveRule; stopReason: string };
}

interface ActiveRun {
  runId: string;
  dir: string;
  writer: RunWriter;
  config: ExperimentConfig;
  abort: AbortController;
  sessions: Map<PlatformId, PlatformSession>;
  consoleOffsets: Map<PlatformId, number>;
  consoleHistory: Map<PlatformId, string>;
  progress: ProgressTracker;
  startedMs: number;
  samples: Sample[];
  cells: CellRecord[];
}

/** Wraps a session so the runner sees each exec's platform-level failure (guest death). */
function watchSession(
  session: PlatformSession,
  onFailure: (f: NonNullable<ExecResult['failure']>) => void,
): PlatformSession {
  return {
    get diskTarget() {
      return session.diskTarget;
    },
    exec: async (req: ExecRequest) => {
      const res = await session.exec(req);
      if (res.failure) onFailure(res.failure);
      return res;
    },
    startNginx: (req) => session.startNginx(req),
    write: (d) => session.write(d),
    meta: () => session.meta(),
    dispose: () => session.dispose(),
  };
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class ExperimentRunner extends TypedEmitter<RunnerEvents> {
  private readonly clock: Clock;
  private active: ActiveRun | null = null;

  constructor(private readonly deps: ExperimentRunnerDeps) {
    super();
    this.clock = deps.clock ?? systemClock;
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
    const run: ActiveRun = {
      runId: writer.runId,
      dir: writer.dir,
      writer,
      config,
      abort: new AbortController(),
      sessions: new Map(),
      consoleOffsets: new Map(),
      consoleHistory: new Map(),
      progress: new ProgressTracker(),
      startedMs: this.clock.monotonicMs(),
      samples: [],
      cells: [],
    };
    this.active = run;
    writer.updateExperiment({
      skipped: plan.skipped.map((s) => ({
        platform: s.platform,
        ...(s.benchmark ? { benchmark: s.benchmark } : {}),
        reason: s.reason,
      })),
    });
    for (const s of plan.skipped) {
      run.cells.push({
        platform: s.platform,
        benchmark: s.benchmark ?? config.benchmarks[0]?.id ?? 'linpack',
        status: 'skipped',
        measured: 0,
        failed: 0,
        warmup: 0,
        reason: s.reason,
      });
    }
    const ad = config.repetitions.adaptive;
    for (const p of plan.platforms) {
      for (const c of p.cells) {
        const measured = ad.enabled ? ad.maxRepetitions : config.repetitions.count;
        run.progress.add(c.platform, c.benchmark.id, config.repetitions.warmup + measured);
      }
    }
    const finished = this.execute(run, plan.platforms, plan.skipped).catch((e: unknown) =>
      this.crashed(run, e),
    );
    return ok({ runId: run.runId, dir: run.dir, finished });
  }

  /** Cancels the run in progress: kills its processes; samples so far are kept. */
  cancel(runId?: string): boolean {
    const a = this.active;
    if (!a || (runId !== undefined && runId !== a.runId) || a.abort.signal.aborted) return false;
    this.log(a, 'warn', 'cancel requested: stopping the running benchmark');
    a.abort.abort();
    return true;
  }

  /** Keyboard input to a platform's console. False when that platform has no live session. */
  write(platform: PlatformId, data: string, runId?: string): boolean {
    const a = this.active;
    if (!a || (runId !== undefined && runId !== a.runId)) return false;
    return a.sessions.get(platform)?.write(data) ?? false;
  }

  /** The recent console output of a platform in the active run, with its end offset. */
  consoleHistory(platform: PlatformId, runId?: string): { data: string; offset: number } | null {
    const a = this.active;
    if (!a || (runId !== undefined && runId !== a.runId)) return null;
    return {
      data: a.consoleHistory.get(platform) ?? '',
      offset: a.consoleOffsets.get(platform) ?? 0,
    };
  }

  private log(
    run: ActiveRun,
    level: LogEvent['level'],
    message: string,
    platform?: PlatformId,
  ): void {
    const event: LogEvent = {
      runId: run.runId,
      level,
      message,
      at: this.clock.now().toISOString(),
    };
    if (platform) event.platform = platform;
    run.writer.appendLog(event);
    this.emit('run:log', event);
  }

  private consoleData(run: ActiveRun, platform: PlatformId, data: string): void {
    const offset = (run.consoleOffsets.get(platform) ?? 0) + Buffer.byteLength(data);
    run.consoleOffsets.set(platform, offset);
    let hist = (run.consoleHistory.get(platform) ?? '') + data;
    if (hist.length > CONSOLE_HISTORY_BYTES) hist = hist.slice(hist.length - CONSOLE_HISTORY_BYTES);
    run.consoleHistory.set(platform, hist);
    run.writer.appendConsole(platform, data);
    this.emit('console:data', { runId: run.runId, platform, data, offset });
  }

  private progress(
    run: ActiveRun,
    current: { platform: PlatformId; benchmark: BenchmarkId; rep: number; warmup: boolean } | null,
  ): void {
    this.emit('run:progress', {
      runId: run.runId,
      done: run.progress.done,
      total: run.progress.total,
      etaMs: run.progress.etaMs(),
      elapsedMs: Math.round(this.clock.monotonicMs() - run.startedMs),
      current,
      perPlatform: run.progress.perPlatform(),
    });
  }

  private async execute(
    run: ActiveRun,
    platforms: { platform: Platform; cells: PlannedCell[] }[],
    skipped: { platform: PlatformId; benchmark?: BenchmarkId; reason: string }[],
  ): Promise<FinishedEvent> {
    for (const s of skipped) {
      this.log(
        run,
        'warn',
        `skipped ${s.platform}${s.benchmark ? ` / ${s.benchmark}` : ''}: ${s.reason}`,
        s.platform,
      );
    }
    if (this.deps.collectEnvironment) {
      try {
        run.writer.writeEnvironment(await this.deps.collectEnvironment());
      } catch (e) {
        this.log(run, 'warn', `could not collect the environment: ${errorText(e)}`);
      }
    }
    this.progress(run, null);
    for (const { platform, cells } of platforms) {
      if (run.abort.signal.aborted) {
        for (const c of cells)
          this.endCell(run, c, 'cancelled', 0, 0, 0, 'cancelled before it started');
        continue;
      }
      await this.runPlatform(run, platform, cells);
    }
    return this.finish(run);
  }

  private async runPlatform(
    run: ActiveRun,
    platform: Platform,
    cells: PlannedCell[],
  ): Promise<void> {
    const id = platform.id;
    this.log(run, 'info', `preparing ${id}`, id);
    let session: PlatformSession;
    try {
      session = await platform.prepare({
        runId: run.runId,
        config: run.config,
        runDir: run.dir,
        console: { data: (chunk) => this.consoleData(run, id, chunk) },
        log: (level, message) => this.log(run, level, message, id),
        signal: run.abort.signal,
      });
    } catch (e) {
      const reason = run.abort.signal.aborted
        ? 'cancelled while preparing'
        : `${id} failed to prepare: ${errorText(e)}`;
      this.log(run, run.abort.signal.aborted ? 'warn' : 'error', reason, id);
      for (const c of cells) this.failCell(run, c, reason, run.abort.signal.aborted);
      return;
    }
    let deadReason: string | null = null;
    const watched = watchSession(session, (f) => {
      if (f.code === 'GUEST_FAILED') deadReason = `${id} died: ${f.message}`;
    });
    run.sessions.set(id, session);
    try {
      let meta: Record<string, unknown> = {};
      try {
        meta = await session.meta();
      } catch (e) {
        this.log(run, 'warn', `could not read ${id} facts: ${errorText(e)}`, id);
      }
      for (const cell of cells) {
        if (run.abort.signal.aborted) {
          this.endCell(run, cell, 'cancelled', 0, 0, 0, 'cancelled before it started');
          continue;
        }
        if (deadReason !== null) {
          this.failCell(run, cell, deadReason, false);
          continue;
        }
        await this.runCell(run, watched, cell, meta, () => deadReason);
      }
    } finally {
      run.sessions.delete(id);
      try {
        await session.dispose();
      } catch (e) {
        this.log(run, 'warn', `cleaning up ${id} failed: ${errorText(e)}`, id);
      }
    }
  }

  /** Runs one repetition with the runner's own guard on top of the platform's timeout. */
  private async repetition(
    run: ActiveRun,
    session: PlatformSession,
    bench: ResolvedBenchmark,
  ): Promise<RepetitionOutcome> {
    const runner = this.deps.runners[bench.id];
    if (!runner)
      return { metrics: {}, exitCode: null, durationMs: 0, error: `no runner for ${bench.id}` };
    const timeoutMs = run.config.timeouts.repetitionSeconds * 1000;
    if (run.abort.signal.aborted)
      return { metrics: {}, exitCode: null, durationMs: 0, error: 'cancelled' };
    const guard = new AbortController();
    const signal = AbortSignal.any([run.abort.signal, guard.signal]);
    let timer: NodeJS.Timeout | undefined;
    let cancelTimer: NodeJS.Timeout | undefined;
    const onCancel = (): void => {
      cancelTimer = setTimeout(() => guard.abort(), CANCEL_GRACE_MS);
    };
    run.abort.signal.addEventListener('abort', onCancel, { once: true });
    const guardExpired = new Promise<RepetitionOutcome>((resolveGuard) => {
      guard.signal.addEventListener('abort', () =>
        resolveGuard({
          metrics: {},
          exitCode: null,
          durationMs: 0,
          error: 'the benchmark did not stop when cancelled',
        }),
      );
      timer = setTimeout(() => {
        resolveGuard({
          metrics: {},
          exitCode: null,
          durationMs: timeoutMs,
          error: `repetition did not finish within the ${run.config.timeouts.repetitionSeconds} s timeout`,
        });
        guard.abort(); // tells the benchmark runner to stop what it still has running
      }, timeoutMs + TIMEOUT_GRACE_MS);
    });
    try {
      return await Promise.race([
        runner.run(session, bench.params, { timeoutMs, signal }),
        guardExpired,
      ]);
    } catch (e) {
      return {
        metrics: {},
        exitCode: null,
        durationMs: 0,
        error: `benchmark runner failed: ${errorText(e)}`,
      };
    } finally {
      clearTimeout(timer);
      clearTimeout(cancelTimer);
      run.abort.signal.removeEventListener('abort', onCancel);
    }
  }

  private async runCell(
    run: ActiveRun,
    session: PlatformSession,
    cell: PlannedCell,
    meta: Record<string, unknown>,
    dead: () => string | null,
  ): Promise<void> {
    const { platform } = cell;
    const bench = cell.benchmark;
    const def = CATALOGUE[bench.id];
    const metricDef = def.metrics.find((m) => m.key === def.mainMetric);
    const reps = run.config.repetitions;
    const adaptive = reps.adaptive.enabled;
    const rule: AdaptiveRule = {
      minRepetitions: reps.adaptive.minRepetitions,
      maxRepetitions: reps.adaptive.maxRepetitions,
      targetCiPercent: reps.adaptive.targetCiPercent,
      minSeconds: reps.adaptive.minSeconds,
    };
    const planned = adaptive ? rule.maxRepetitions : reps.count;

    for (let w = 1; w <= reps.warmup; w++) {
      if (run.abort.signal.aborted || dead() !== null) break;
      this.progress(run, { platform, benchmark: bench.id, rep: w, warmup: true });
      const out = await this.repetition(run, session, bench);
      if (run.abort.signal.aborted) break;
      run.progress.repDone(platform, bench.id, out.error ? null : out.durationMs);
      const v = out.metrics[def.mainMetric];
      this.log(
        run,
        out.error ? 'warn' : 'info',
        `warmup ${w}/${reps.warmup} ${bench.id} on ${platform}: ${out.error ? `failed: ${out.error}` : `${v ?? '?'} ${metricDef?.unit ?? ''} (discarded)`}`,
        platform,
      );
    }

    const values: number[] = [];
    let measured = 0;
    let failed = 0;
    let elapsedSeconds = 0;
    let stopReason = adaptive ? '' : `fixed count of ${reps.count}`;
    for (let rep = 1; rep <= planned; rep++) {
      if (run.abort.signal.aborted) break;
      const deadReason = dead();
      if (deadReason !== null) {
        stopReason = deadReason;
        break;
      }
      this.progress(run, { platform, benchmark: bench.id, rep, warmup: false });
      if (run.abort.signal.aborted) break;
      const startedAt = this.clock.now().toISOString();
      const out = await this.repetition(run, session, bench);
      if (run.abort.signal.aborted) break; // a killed repetition measured nothing
      const value = out.error ? null : (out.metrics[def.mainMetric] ?? null);
      const error =
        out.error ?? (value === null ? `the result has no "${def.mainMetric}" metric` : undefined);
      const sample: Sample = {
        runId: run.runId,
        platform,
        benchmark: bench.id,
        rep,
        metric: def.mainMetric,
        value,
        unit: metricDef?.unit ?? '',
        metrics: out.metrics,
        startedAt,
        durationMs: out.durationMs,
        exitCode: out.exitCode,
        meta: { ...meta, params: bench.params },
      };
      if (error !== undefined) sample.error = error;
      this.record(run, sample);
      measured++;
      elapsedSeconds += out.durationMs / 1000;
      run.progress.repDone(platform, bench.id, error === undefined ? out.durationMs : null);
      if (error !== undefined) {
        failed++;
        this.log(run, 'error', `${bench.id} rep ${rep} on ${platform} failed: ${error}`, platform);
      } else {
        values.push(value as number);
      }
      if (adaptive && this.deps.decideStop) {
        const decision = this.deps.decideStop(values, elapsedSeconds, rule);
        stopReason = decision.reason;
        if (decision.stop) break;
      }
      this.progress(run, null);
    }
    if (adaptive && stopReason === '') stopReason = `cap of ${rule.maxRepetitions} reached`;

    const deadReason = dead();
    let status: CellRecord['status'];
    if (run.abort.signal.aborted) status = 'cancelled';
    else if (deadReason !== null && measured < (adaptive ? rule.minRepetitions : planned)) {
      // The platform died: the repetitions that never ran are recorded as failed samples.
      const missing = (adaptive ? rule.minRepetitions : planned) - measured;
      for (let i = 0; i < missing; i++) this.failedSample(run, cell, measured + i + 1, deadReason);
      failed += missing;
      measured += missing;
      status = 'failed';
    } else status = failed === 0 ? 'completed' : failed === measured ? 'failed' : 'partial';
    this.endCell(
      run,
      cell,
      status,
      measured,
      failed,
      reps.warmup,
      deadReason ?? undefined,
      adaptive ? { rule, stopReason } : undefined,
    );
  }

  private record(run: ActiveRun, sample: Sample): void {
    run.samples.push(sample);
    try {
      run.writer.appendSample(sample);
    } catch (e) {
      this.log(run, 'error', `could not write a sample: ${errorText(e)}`, sample.platform);
    }
    this.emit('run:sample', sample);
  }

  private failedSample(run: ActiveRun, cell: PlannedCell, rep: number, reason: string): void {
    const def = CATALOGUE[cell.benchmark.id];
    this.record(run, {
      runId: run.runId,
      platform: cell.platform,
      benchmark: cell.benchmark.id,
      rep,
      metric: def.mainMetric,
      value: null,
      unit: def.metrics.find((m) => m.key === def.mainMetric)?.unit ?? '',
      metrics: {},
      startedAt: this.clock.now().toISOString(),
      durationMs: 0,
      exitCode: null,
      error: reason,
      meta: { params: cell.benchmark.params },
    });
  }

  /** Every planned repetition of the cell fails with the same reason (platform failed/died). */
  private failCell(run: ActiveRun, cell: PlannedCell, reason: string, cancelled: boolean): void {
    if (cancelled) {
      this.endCell(run, cell, 'cancelled', 0, 0, 0, reason);
      return;
    }
    const reps = run.config.repetitions;
    const n = reps.adaptive.enabled ? reps.adaptive.minRepetitions : reps.count;
    for (let rep = 1; rep <= n; rep++) this.failedSample(run, cell, rep, reason);
    this.endCell(run, cell, 'failed', n, n, 0, reason);
  }

  private endCell(
    run: ActiveRun,
    cell: PlannedCell,
    status: CellRecord['status'],
    measured: number,
    failed: number,
    warmup: number,
    reason?: string,
    adaptive?: CellRecord['adaptive'],
  ): void {
    run.progress.finishCell(cell.platform, cell.benchmark.id);
    const rec: CellRecord = {
      platform: cell.platform,
      benchmark: cell.benchmark.id,
      status,
      measured,
      failed,
      warmup,
    };
    if (reason !== undefined) rec.reason = reason;
    if (adaptive) rec.adaptive = adaptive;
    run.cells.push(rec);
    run.writer.writeCells(run.cells);
    this.progress(run, null);
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
        this.log(run, 'warn', `could not summarise: ${errorText(e)}`);
      }
    }
    this.log(run, status === 'completed' ? 'info' : 'warn', message);
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
      this.log(run, 'error', message);
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
