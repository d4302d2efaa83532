/**
 * The state of the run in progress and everything that records it: log lines,
 * console chunks, progress, samples and cell records go to the run folder and
 * out as events in one place.
 */
import type { BenchmarkId } from '../../shared/catalogue';
import type { ExperimentConfig } from '../../shared/config';
import type { PlatformId } from '../../shared/platforms';
import type { LogEvent } from '../../shared/run';
import type { Sample } from '../../shared/sample';
import type { PlatformSession } from '../platforms/platform';
import type { CellRecord } from './cells';
import type { Clock } from './clock';
import type { TypedEmitter } from './emitter';
import type { RunnerEvents } from './events';
import type { PlannedCell } from './plan';
import { ProgressTracker } from './progress';
import type { RunWriter } from './runStore';

/** Console bytes kept in memory per platform for console history (rebuild a terminal). */
const CONSOLE_HISTORY_BYTES = 1024 * 1024;

export type CurrentRepetition = {
  platform: PlatformId;
  benchmark: BenchmarkId;
  rep: number;
  warmup: boolean;
} | null;

export class ActiveRun {
  readonly runId: string;
  readonly dir: string;
  readonly abort = new AbortController();
  readonly sessions = new Map<PlatformId, PlatformSession>();
  readonly progress = new ProgressTracker();
  readonly samples: Sample[] = [];
  readonly cells: CellRecord[] = [];
  readonly startedMs: number;
  private readonly consoleOffsets = new Map<PlatformId, number>();
  private readonly consoleTail = new Map<PlatformId, string>();

  constructor(
    readonly writer: RunWriter,
    readonly config: ExperimentConfig,
    private readonly events: TypedEmitter<RunnerEvents>,
    private readonly clock: Clock,
  ) {
    this.runId = writer.runId;
    this.dir = writer.dir;
    this.startedMs = clock.monotonicMs();
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

  consoleData(platform: PlatformId, data: string): void {
    const offset = (this.consoleOffsets.get(platform) ?? 0) + Buffer.byteLength(data);
    this.consoleOffsets.set(platform, offset);
    let tail = (this.consoleTail.get(platform) ?? '') + data;
    if (tail.length > CONSOLE_HISTORY_BYTES) tail = tail.slice(tail.length - CONSOLE_HISTORY_BYTES);
    this.consoleTail.set(platform, tail);
    this.writer.appendConsole(platform, data);
    this.events.emit('console:data', { runId: this.runId, platform, data, offset });
  }

  /** The recent console output of a platform, with its end offset. */
  consoleHistory(platform: PlatformId): { data: string; offset: number } {
    return {
      data: this.consoleTail.get(platform) ?? '',
      offset: this.consoleOffsets.get(platform) ?? 0,
    };
  }

  emitProgress(current: CurrentRepetition): void {
    this.events.emit('run:progress', {
      runId: this.runId,
      done: this.progress.done,
      total: this.progress.total,
      etaMs: this.progress.etaMs(),
      elapsedMs: Math.round(this.clock.monotonicMs() - this.startedMs),
      current,
      perPlatform: this.progress.perPlatform(),
    });
  }

  /** Appends (and flushes) a sample line, then announces it. */
  record(sample: Sample): void {
    this.samples.push(sample);
    try {
      this.writer.appendSample(sample);
    } catch (e) {
      this.log(
        'error',
        `could not write a sample: ${e instanceof Error ? e.message : String(e)}`,
        sample.platform,
      );
    }
    this.events.emit('run:sample', sample);
  }

  endCell(
    cell: PlannedCell,
    status: CellRecord['status'],
    counts: { measured: number; failed: number; warmup: number },
    reason?: string,
    adaptive?: CellRecord['adaptive'],
  ): void {
    this.progress.finishCell(cell.platform, cell.benchmark.id);
    const rec: CellRecord = {
      platform: cell.platform,
      benchmark: cell.benchmark.id,
      status,
      ...counts,
    };
    if (reason !== undefined) rec.reason = reason;
    if (adaptive) rec.adaptive = adaptive;
    this.cells.push(rec);
    this.writer.writeCells(this.cells);
    this.emitProgress(null);
  }
}
