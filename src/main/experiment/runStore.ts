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
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
  type WriteStream,
} from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { configForFile, type ExperimentConfig } from '../../shared/config';
import {
  CellRecordSchema,
  type LogEvent,
  type RunListItem,
  type RunStatus,
} from '../../shared/run';
import { z } from 'zod';
import { SampleSchema, type Sample } from '../../shared/sample';
import type { RunDetail } from '../../shared/api';
import { AppFailure } from '../../shared/result';
import { PlatformId } from '../../shared/platforms';
import { isSafeRunName, newRunId } from './runId';
import { RUN_FILES, RUN_FORMAT_VERSION, type ExperimentRecord } from './runFiles';
import { pidAlive } from '../process/pidAlive';

/** Writes a JSON file atomically (temp file + rename) so readers never see half a file. */
export function writeJsonAtomic(path: string, value: unknown): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n');
  renameSync(tmp, path);
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}

/** Parses samples.ndjson, skipping a torn last line or any line that is not a valid sample. */
export function parseSamples(text: string): { samples: Sample[]; badLines: number } {
  const samples: Sample[] = [];
  let badLines = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const parsed = SampleSchema.safeParse(JSON.parse(line));
      if (parsed.success) samples.push(parsed.data);
      else badLines++;
    } catch {
      badLines++;
    }
  }
  return { samples, badLines };
}

/** Reads the samples of a run folder (empty when the file is absent). */
export function readSamples(dir: string): Sample[] {
  const path = join(dir, RUN_FILES.samples);
  if (!existsSync(path)) return [];
  return parseSamples(readFileSync(path, 'utf8')).samples;
}

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

  /** Appends one sample line and flushes it to disk. */
  appendSample(sample: Sample): void {
    if (this.samplesFd === null) throw new AppFailure('IO_ERROR', `run ${this.runId} is closed`);
    writeSync(this.samplesFd, JSON.stringify(sample) + '\n');
    fsyncSync(this.samplesFd);
  }

  appendLog(event: LogEvent): void {
    if (this.logFd === null) return;
    writeSync(this.logFd, JSON.stringify(event) + '\n');
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
    rmSync(join(this.dir, RUN_FILES.scratch), { recursive: true, force: true });
  }
}

export interface RunStoreOptions {
  runsDir: string;
}

export class RunStore {
  readonly runsDir: string;
  constructor(opts: RunStoreOptions) {
    this.runsDir = resolve(opts.runsDir);
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
      hostname: hostname(),
      // The file form: varied fields as lists, so "Run again" parses it back to this config.
      config: configForFile(config),
      skipped: [],
      formatVersion: RUN_FORMAT_VERSION,
    };
    return new RunWriter(runId, dir, record);
  }

  /** Past runs, newest first. Folders that are not readable runs are skipped. */
  list(): RunListItem[] {
    if (!existsSync(this.runsDir)) return [];
    const items: RunListItem[] = [];
    for (const name of readdirSync(this.runsDir)) {
      const dir = join(this.runsDir, name);
      try {
        if (!statSync(dir).isDirectory()) continue;
        const item = this.readItem(dir);
        if (item) items.push(item);
      } catch {
        /* a broken folder is not a run */
      }
    }
    return items.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  /** Resolves a run id (folder under runsDir) or a path to a run folder. */
  resolveDir(runIdOrDir: string): string {
    if (isSafeRunName(runIdOrDir)) {
      const d = join(this.runsDir, runIdOrDir);
      if (existsSync(join(d, RUN_FILES.experiment))) return d;
    }
    const d = resolve(runIdOrDir);
    if (existsSync(join(d, RUN_FILES.experiment))) return d;
    throw new AppFailure('NOT_FOUND', `no run "${runIdOrDir}" (looked in ${this.runsDir})`);
  }

  /**
   * Deletes a run folder from the runs directory (by run id only: never a path elsewhere).
   * Throws AppFailure NOT_FOUND when there is no such run.
   */
  remove(runId: string): void {
    if (!isSafeRunName(runId) || !existsSync(join(this.runsDir, runId, RUN_FILES.experiment))) {
      throw new AppFailure('NOT_FOUND', `no run "${runId}" in ${this.runsDir}`);
    }
    rmSync(join(this.runsDir, runId), { recursive: true, force: true });
  }

  /** Everything about one run; throws AppFailure NOT_FOUND / IO_ERROR. */
  get(runIdOrDir: string): RunDetail {
    const dir = this.resolveDir(runIdOrDir);
    const item = this.readItem(dir);
    if (!item)
      throw new AppFailure('IO_ERROR', `run folder ${dir} has an unreadable experiment.json`);
    const opt = (file: string): unknown => {
      const p = join(dir, file);
      if (!existsSync(p)) return undefined;
      try {
        return readJson(p);
      } catch {
        return undefined;
      }
    };
    const detail: RunDetail = {
      item,
      experiment: opt(RUN_FILES.experiment),
      environment: opt(RUN_FILES.environment) ?? {},
      samples: readSamples(dir),
    };
    const summary = opt(RUN_FILES.summary);
    if (summary !== undefined) detail.summary = summary;
    const cells = z.array(CellRecordSchema).safeParse(opt(RUN_FILES.cells));
    if (cells.success) detail.cells = cells.data;
    return detail;
  }

  /** The console transcript of one platform ('' when none). */
  readConsole(runIdOrDir: string, platform: string): string {
    const dir = this.resolveDir(runIdOrDir);
    if (!PlatformId.safeParse(platform).success)
      throw new AppFailure('INVALID_INPUT', `unknown platform "${platform}"`);
    const p = join(dir, RUN_FILES.consoles, `${platform}.log`);
    return existsSync(p) ? readFileSync(p, 'utf8') : '';
  }

  /** cells.json of a run (per cell status, adaptive stop reasons), or undefined. */
  readCells(runIdOrDir: string): unknown {
    const p = join(this.resolveDir(runIdOrDir), RUN_FILES.cells);
    return existsSync(p) ? readJson(p) : undefined;
  }

  private readItem(dir: string): RunListItem | null {
    const expPath = join(dir, RUN_FILES.experiment);
    if (!existsSync(expPath)) return null;
    const exp = readJson(expPath) as Partial<ExperimentRecord>;
    if (typeof exp.runId !== 'string' || typeof exp.startedAt !== 'string') return null;
    const config = (exp.config ?? {}) as {
      platforms?: unknown;
      benchmarks?: unknown;
      name?: unknown;
    };
    const platforms = Array.isArray(config.platforms)
      ? config.platforms.filter((p): p is PlatformId => PlatformId.safeParse(p).success)
      : [];
    const benchmarks = Array.isArray(config.benchmarks)
      ? config.benchmarks.map((b: unknown) =>
          typeof b === 'string' ? b : String((b as { id?: unknown }).id),
        )
      : [];
    const samples = readSamples(dir);
    let status: RunStatus = exp.status ?? 'interrupted';
    if (status === 'running') {
      const sameHost = exp.hostname === undefined || exp.hostname === hostname();
      if (sameHost && (typeof exp.pid !== 'number' || !pidAlive(exp.pid))) status = 'interrupted';
    }
    const item: RunListItem = {
      runId: exp.runId,
      name: typeof exp.name === 'string' ? exp.name : String(config.name ?? exp.runId),
      dir,
      startedAt: exp.startedAt,
      status,
      platforms,
      benchmarks,
      sampleCount: samples.length,
      failedCount: samples.filter((s) => s.value === null).length,
      imported: exp.imported === true || existsSync(join(dir, RUN_FILES.importedMarker)),
    };
    if (typeof exp.finishedAt === 'string') item.finishedAt = exp.finishedAt;
    return item;
  }
}
