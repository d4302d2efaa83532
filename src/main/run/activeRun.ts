/**
 * The state of the run in progress and everything that records it: log lines,
 * console chunks, progress, samples and cell records go to the run folder and
 * out as events in one place.
 */
import type { BenchmarkId } from '../../shared/catalogue';
import type { ExperimentConfig } from '../../shared/config';
import type { PlatformId } from '../../shared/platforms';
import type { LogEvent, RunStatus, TargetState } from '../../shared/run';
import type { Sample } from '../../shared/sample';
import type { Target } from '../../shared/targets';
import { ProtocolLineFilter } from '../../shared/consoleFilter';
import type { PlatformSession } from '../platforms/platform';
import type { CellRecord } from './cells';
import { ConsoleInputWatch } from './consoleInput';
import { isDiskFull } from '../store/diskFull';
import type { Clock } from './clock';
import type { TypedEmitter } from './emitter';
import type { RunnerEvents } from './events';
import type { PlannedCell } from './plan';
import { ProgressTracker } from './progress';
import type { RunWriter } from '../store/runStore';
import { mergeCells } from './runExtension';

export type CurrentRepetition = {
  platform: PlatformId;
  target?: string;
  benchmark: BenchmarkId;
  rep: number;
  warmup: boolean;
} | null;

export class ActiveRun {
  readonly runId: string;
  readonly dir: string;
  readonly abort = new AbortController();
  /** Live sessions by target id (any number at once: the schedule decides). */
  readonly sessions = new Map<string, PlatformSession>();
  /** Every target of the run by id (set by the runner before it starts). */
  readonly targets = new Map<string, Target>();
  /** Per target: the resolved shape recorded in every sample's meta. */
  private readonly shapeMeta = new Map<string, Record<string, unknown>>();
  readonly progress = new ProgressTracker();
  /** Samples written to samples.ndjson (a sample the disk could not take is not here). */
  readonly samples: Sample[] = [];
  /** Why the run was stopped by itself (a full disk), or null. */
  stopReason: string | null = null;
  readonly cells: CellRecord[] = [];
  /**
   * A finished run this one appends to ("run N more"): its samples and cell records, which
   * cells.json and the summary are made with. Absent: a new run.
   */
  previous: {
    samples: readonly Sample[];
    cells: readonly CellRecord[];
    status: RunStatus;
  } | null = null;
  readonly startedMs: number;
  /** Per target that was opened: where it stands (sent with every progress event). */
  private readonly targetStates = new Map<string, TargetState>();
  /** The repetition the last progress event named (a state change repeats it). */
  private current: CurrentRepetition = null;
  /** Per target: the byte offset its console stream has reached (sent with every chunk). */
  private readonly consoleOffsets = new Map<string, number>();
  /** Per target: hides the benchmarks' protocol lines from what consoles show (not the transcript). */
  private readonly consoleFilters = new Map<string, ProtocolLineFilter>();
  /** Console input typed during measured repetitions, per target (into the sample's meta). */
  readonly consoleInput: ConsoleInputWatch;

  constructor(
    readonly writer: RunWriter,
    readonly config: ExperimentConfig,
    private readonly events: TypedEmitter<RunnerEvents>,
    private readonly clock: Clock,
  ) {
    this.runId = writer.runId;
    this.dir = writer.dir;
    this.startedMs = clock.monotonicMs();
    this.consoleInput = new ConsoleInputWatch(() => clock.monotonicMs());
  }

  get cancelled(): boolean {
    return this.abort.signal.aborted;
  }

  log(level: LogEvent['level'], message: string, platform?: PlatformId): void {
    const event: LogEvent = {
      runId: this.runId,
      level,
      message,
      at: this.clock.now().toISOString(),
    };
    if (platform) event.platform = platform;
    this.writer.appendLog(event);
    this.events.emit('run:log', event);
  }

  /** Registers the run's targets and the shape each records in its samples' meta. */
  setTargets(targets: readonly Target[], shapeMeta: (t: Target) => Record<string, unknown>): void {
    for (const t of targets) {
      this.targets.set(t.id, t);
      this.shapeMeta.set(t.id, shapeMeta(t));
    }
  }

  /** The resolved shape of a target (for samples that never ran, too). */
  targetMeta(target: string): Record<string, unknown> {
    return { ...(this.shapeMeta.get(target) ?? {}) };
  }

  targetLabel(target: string): string {
    return this.targets.get(target)?.label ?? target;
  }

  /**
   * Console output of a target (the platform id when nothing varies): the transcript
   * consoles/<target>.log keeps every byte; the consoles (events) get it without the protocol
   * lines, and their offsets count what they got.
   */
  consoleData(target: string, data: string): void {
    const platform = this.targets.get(target)?.platform ?? (target as PlatformId);
    this.writer.appendConsole(target, data);
    let filter = this.consoleFilters.get(target);
    if (!filter) this.consoleFilters.set(target, (filter = new ProtocolLineFilter()));
    const shown = filter.push(data);
    if (shown === '') return;
    const offset = (this.consoleOffsets.get(target) ?? 0) + Buffer.byteLength(shown);
    this.consoleOffsets.set(target, offset);
    this.events.emit('console:data', { runId: this.runId, platform, target, data: shown, offset });
  }

  /** A target's state changed: recorded and announced with the progress (the one event shape). */
  setTargetState(target: string, state: TargetState): void {
    if (this.targetStates.get(target) === state) return;
    this.targetStates.set(target, state);
    this.emitProgress(this.current);
  }

  emitProgress(current: CurrentRepetition): void {
    this.current = current;
    this.events.emit('run:progress', {
      runId: this.runId,
      done: this.progress.done,
      total: this.progress.total,
      etaMs: this.progress.etaMs(),
      elapsedMs: Math.round(this.clock.monotonicMs() - this.startedMs),
      current,
      perTarget: this.progress.perTarget(),
      states: Object.fromEntries(this.targetStates),
    });
  }

  /**
   * Appends (and flushes) a sample line, then announces it. Only samples on disk count (the
   * summary is made from them); a full disk stops the run (stopFor) at the first failure.
   */
  record(sample: Sample): void {
    try {
      this.writer.appendSample(sample);
    } catch (e) {
      if (isDiskFull(e)) return this.stopFor(e);
      this.log(
        'error',
        `could not write a sample: ${e instanceof Error ? e.message : String(e)}`,
        sample.platform,
      );
      return;
    }
    this.samples.push(sample);
    this.events.emit('run:sample', sample);
  }

  /**
   * Stops the run for a reason that makes going on pointless (the disk is full): the running
   * repetition is cancelled, the run ends as failed with this message, and the space set aside
   * is released so the closing writes fit. The first reason wins.
   */
  stopFor(e: unknown): void {
    if (this.stopReason !== null) return;
    this.stopReason = e instanceof Error ? e.message : String(e);
    this.writer.releaseSpace();
    this.log('error', this.stopReason);
    this.abort.abort();
  }

  /** What cells.json holds: this run's cells, or the extended run's with these added. */
  cellsForFile(): CellRecord[] {
    return this.previous ? mergeCells(this.previous.cells, this.cells) : this.cells;
  }

  /** Every sample of the run folder: the extended run's and this run's. */
  allSamples(): Sample[] {
    return this.previous ? [...this.previous.samples, ...this.samples] : this.samples;
  }

  endCell(
    cell: PlannedCell,
    status: CellRecord['status'],
    counts: { measured: number; failed: number; warmup: number },
    reason?: string,
    adaptive?: CellRecord['adaptive'],
  ): void {
    this.progress.finishCell(cell.target, cell.benchmark.id);
    const rec: CellRecord = {
      platform: cell.platform,
      target: cell.target,
      benchmark: cell.benchmark.id,
      status,
      ...counts,
    };
    if (reason !== undefined) rec.reason = reason;
    if (adaptive) rec.adaptive = adaptive;
    this.cells.push(rec);
    try {
      this.writer.writeCells(this.cellsForFile());
    } catch (e) {
      if (!isDiskFull(e)) throw e;
      this.stopFor(e);
    }
    this.emitProgress(null);
  }
}
