/**
 * The run store: one folder per run under the runs directory, written
 * append-only while the run is going (a crash loses nothing already
 * measured) and read back by list()/get() for history, export and the UI.
 */
import {
  closeSync,
  createWriteStream,
  existsSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
  type WriteStream,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { configForFile, type ExperimentConfig } from '../../shared/config';
import { CellRecordSchema, type LogEvent, type RunListItem } from '../../shared/run';
import { z } from 'zod';
import type { Sample } from '../../shared/sample';
import type { RunDetail } from '../../shared/api';
import { AppFailure } from '../../shared/result';
import { appendWhole, asDiskFull, isDiskFull } from './diskFull';
import { createHostProbe, type HostProbe } from '../host/hostProbe';
import { isSafeRunName, newRunId } from './runId';
import { RUN_FILES, RUN_FORMAT_VERSION, type ExperimentRecord } from './runFiles';
import {
  damagedFailure,
  DamagedRunError,
  looksLikeRun,
  readRunItem,
  readRunJson,
  readSamples,
} from './runReader';

/**
 * Writes a JSON file atomically (temp file + rename) so readers never see half a file. When
 * the write fails (a full disk) the temp file is removed: no empty `*.tmp-<pid>` stays.
 */
export function writeJsonAtomic(path: string, value: unknown): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const text = JSON.stringify(value, null, 2) + '\n';
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw asDiskFull(e, dirname(path), Buffer.byteLength(text), basename(path));
  }
}

/**
 * Space set aside in every run folder while it is written (`.reserve`): when the disk fills,
 * it is released so the closing writes (cells, summary, status) still fit and the run folder
 * stays whole (it exports and imports again).
 */
export const CLOSING_RESERVE_BYTES = 1024 * 1024;
const RESERVE_FILE = '.reserve';

export { parseSamples, readSamples } from './runReader';

/** Writer for one run folder. Every sample is fsync'ed before appendSample returns. */
export class RunWriter {
  private samplesFd: number | null;
  private logFd: number | null;
  private readonly consoles = new Map<string, WriteStream>();
  private record: ExperimentRecord;

  constructor(
    readonly runId: string,
    readonly dir: string,
    record: ExperimentRecord,
  ) {
    this.record = record;
    mkdirSync(join(dir, RUN_FILES.consoles), { recursive: true });
    this.samplesFd = openSync(join(dir, RUN_FILES.samples), 'a');
    this.logFd = openSync(join(dir, RUN_FILES.log), 'a');
    writeJsonAtomic(join(dir, RUN_FILES.experiment), record);
    try {
      writeFileSync(join(dir, RESERVE_FILE), Buffer.alloc(CLOSING_RESERVE_BYTES));
    } catch (e) {
      rmSync(join(dir, RESERVE_FILE), { force: true });
      throw asDiskFull(e, dir, CLOSING_RESERVE_BYTES, 'the space kept for closing the run');
    }
  }

  /**
   * The disk is full: give back the reserve (and the scratch folder, whose guest images are
   * the usual culprit) so the closing writes fit. Safe to call more than once.
   */
  releaseSpace(): void {
    rmSync(join(this.dir, RESERVE_FILE), { force: true });
    rmSync(join(this.dir, RUN_FILES.scratch), { recursive: true, force: true });
  }

  /** The scratch folder for a platform's temporary files (created on demand). */
  scratchDir(platform: string): string {
    const d = join(this.dir, RUN_FILES.scratch, platform);
    mkdirSync(d, { recursive: true });
    return d;
  }

  get experiment(): ExperimentRecord {
    return this.record;
  }

  /** Updates experiment.json (status, finishedAt, skipped...). */
  updateExperiment(patch: Partial<ExperimentRecord>): void {
    this.record = { ...this.record, ...patch };
    writeJsonAtomic(join(this.dir, RUN_FILES.experiment), this.record);
  }

  writeEnvironment(env: unknown): void {
    writeJsonAtomic(join(this.dir, RUN_FILES.environment), env);
  }

  writeCells(cells: unknown): void {
    writeJsonAtomic(join(this.dir, RUN_FILES.cells), cells);
  }

  writeSummary(summary: unknown): void {
    writeJsonAtomic(join(this.dir, RUN_FILES.summary), summary);
  }

  /** Appends one sample line (whole or not at all) and flushes it; DiskFullFailure when full. */
  appendSample(sample: Sample): void {
    if (this.samplesFd === null) throw new AppFailure('IO_ERROR', `run ${this.runId} is closed`);
    const line = Buffer.from(JSON.stringify(sample) + '\n');
    appendWhole(this.samplesFd, line, this.dir, `a sample of ${sample.benchmark}`);
    fsyncSync(this.samplesFd);
  }

  /** Appends a log line, whole or not at all; a full disk drops it (the sample path reports). */
  appendLog(event: LogEvent): void {
    if (this.logFd === null) return;
    try {
      appendWhole(this.logFd, Buffer.from(JSON.stringify(event) + '\n'), this.dir, 'a log line');
    } catch (e) {
      if (!isDiskFull(e)) throw e;
    }
  }

  /** Appends console output to consoles/<platform>.log (buffered stream, flushed on close). */
  appendConsole(platform: string, data: string): void {
    let s = this.consoles.get(platform);
    if (!s) {
      s = createWriteStream(join(this.dir, RUN_FILES.consoles, `${platform}.log`), { flags: 'a' });
      s.on('error', () => {
        /* a full disk must not crash the run; samples are written separately */
      });
      this.consoles.set(platform, s);
    }
    s.write(data);
  }

  /** Closes every file; removes the scratch folder. Safe to call twice. */
  async close(): Promise<void> {
    if (this.samplesFd !== null) closeSync(this.samplesFd);
    if (this.logFd !== null) closeSync(this.logFd);
    this.samplesFd = null;
    this.logFd = null;
    const streams = [...this.consoles.values()];
    this.consoles.clear();
    await Promise.all(streams.map((s) => new Promise<void>((r) => s.end(() => r()))));
    this.releaseSpace();
  }
}

export interface RunStoreOptions {
  runsDir: string;
  /**
   * The engine's host probe: experiment.json names the machine whose process runs it, and a
   * "running" run of this machine whose process is gone lists as interrupted (default: a probe
   * of this machine, made once per store).
   */
  host?: Pick<HostProbe, 'hostname'>;
}

export class RunStore {
  readonly runsDir: string;
  private readonly host: Pick<HostProbe, 'hostname'>;
  constructor(opts: RunStoreOptions) {
    this.runsDir = resolve(opts.runsDir);
    this.host = opts.host ?? createHostProbe();
  }

  /**
   * Creates a run folder and writes experiment.json (status running).
   * `parentDir` overrides the runs directory for this run (CLI --out).
   */
  create(config: ExperimentConfig, opts: { parentDir?: string; now?: Date } = {}): RunWriter {
    const now = opts.now ?? new Date();
    const runId = newRunId(now);
    const parent = resolve(opts.parentDir ?? this.runsDir);
    const dir = join(parent, runId);
    mkdirSync(dir, { recursive: true });
    const record: ExperimentRecord = {
      runId,
      name: config.name,
      startedAt: now.toISOString(),
      status: 'running',
      pid: process.pid,
      hostname: this.host.hostname(),
      // The file form: varied fields as lists, so "Run again" parses it back to this config.
      config: configForFile(config),
      skipped: [],
      formatVersion: RUN_FORMAT_VERSION,
    };
    return new RunWriter(runId, dir, record);
  }

  /**
   * Opens a finished run's folder to append to it ("run N more repetitions"): its experiment.json
   * reads running again (this process's pid) until the runner closes it; samples, log and console
   * transcripts are appended to. Throws NOT_FOUND; the caller checked that the run may be extended.
   */
  reopen(runId: string): RunWriter {
    const dir = this.dirOf(runId);
    const record = readRunJson(join(dir, RUN_FILES.experiment), RUN_FILES.experiment);
    const previous = record as ExperimentRecord;
    return new RunWriter(runId, dir, {
      ...previous,
      status: 'running',
      pid: process.pid,
      hostname: this.host.hostname(),
    });
  }

  /**
   * Past runs, newest first. Damaged run folders are listed with `damaged` (the reason);
   * hidden folders (import staging, the instance's data) and folders that are not runs are not.
   */
  list(): RunListItem[] {
    if (!existsSync(this.runsDir)) return [];
    const items: RunListItem[] = [];
    for (const name of readdirSync(this.runsDir)) {
      if (name.startsWith('.')) continue;
      const dir = join(this.runsDir, name);
      try {
        if (!lstatSync(dir).isDirectory() || !looksLikeRun(dir)) continue;
      } catch {
        continue; // removed meanwhile
      }
      items.push(readRunItem(dir, name, this.host.hostname()));
    }
    return items.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  /** The folder of a run id (a folder name under runsDir: never a path). Throws NOT_FOUND. */
  dirOf(runId: string): string {
    if (isSafeRunName(runId)) {
      const d = join(this.runsDir, runId);
      if (existsSync(join(d, RUN_FILES.experiment))) return d;
    }
    throw new AppFailure('NOT_FOUND', `no run "${runId}" (looked in ${this.runsDir})`);
  }

  /**
   * Deletes a run folder from the runs directory (by run id only: never a path elsewhere),
   * damaged ones included. Throws AppFailure NOT_FOUND when there is no such run.
   */
  remove(runId: string): void {
    const dir = join(this.runsDir, runId);
    let isRun: boolean;
    try {
      isRun = isSafeRunName(runId) && lstatSync(dir).isDirectory() && looksLikeRun(dir);
    } catch {
      isRun = false;
    }
    if (!isRun) throw new AppFailure('NOT_FOUND', `no run "${runId}" in ${this.runsDir}`);
    rmSync(dir, { recursive: true, force: true });
  }

  /** Everything about one run, by id; throws AppFailure NOT_FOUND / IO_ERROR (damaged). */
  get(runId: string): RunDetail {
    return this.getDir(this.dirOf(runId));
  }

  /**
   * Everything about the run in an explicit folder (the CLI's `./x` or an absolute path;
   * never reachable from the API). Throws AppFailure NOT_FOUND / IO_ERROR.
   */
  getDir(folder: string): RunDetail {
    const dir = resolve(folder);
    if (!existsSync(join(dir, RUN_FILES.experiment)))
      throw new AppFailure('NOT_FOUND', `${dir} is not a run folder (no ${RUN_FILES.experiment})`);
    const item = readRunItem(dir, basename(dir), this.host.hostname());
    if (item.damaged !== undefined) throw damagedFailure(item.runId, item.damaged);
    const opt = (file: string): unknown => {
      const p = join(dir, file);
      if (!existsSync(p)) return undefined;
      try {
        return readRunJson(p, file);
      } catch {
        return undefined;
      }
    };
    let samples: Sample[];
    try {
      samples = readSamples(dir);
    } catch (e) {
      if (e instanceof DamagedRunError) throw damagedFailure(item.runId, e.message);
      throw e;
    }
    const detail: RunDetail = {
      item,
      experiment: opt(RUN_FILES.experiment),
      environment: opt(RUN_FILES.environment) ?? {},
      samples,
    };
    const summary = opt(RUN_FILES.summary);
    if (summary !== undefined) detail.summary = summary;
    const cells = z.array(CellRecordSchema).safeParse(opt(RUN_FILES.cells));
    if (cells.success) detail.cells = cells.data;
    return detail;
  }

  /** cells.json of a run folder (per cell status, adaptive stop reasons), or undefined. */
  readCells(dir: string): unknown {
    const p = join(dir, RUN_FILES.cells);
    try {
      return existsSync(p) ? readRunJson(p, RUN_FILES.cells) : undefined;
    } catch {
      return undefined;
    }
  }
}
