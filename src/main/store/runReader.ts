/**
 * Reading run folders back, with every file bounded: NDJSON through the
 * capped line reader (src/main/util/ndjson.ts), JSON files up to a size cap.
 * A folder that breaks a cap or holds an unreadable experiment.json is a
 * *damaged* run: listed with the reason, deletable, never a crash.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AppFailure } from '../../shared/result';
import { jsonDepthProblem } from '../../shared/safeJson';
import type { RunListItem, RunStatus } from '../../shared/run';
import { PlatformId } from '../../shared/platforms';
import { SampleSchema, type Sample } from '../../shared/sample';
import { NDJSON_LIMITS, NdjsonLimitError, readNdjsonFile } from '../util/ndjson';
import { pidAlive } from '../process/pidAlive';
import { runOrderOfRecord, runOrderText } from '../../shared/runDesign';
import { RUN_FILES, type ExperimentRecord } from './runFiles';
import { errorText } from '../../shared/result';

const MiB = 1024 * 1024;

/** Largest JSON file of a run folder that is read (the bundle importer's limit for JSON entries). */
export const RUN_JSON_MAX_BYTES = 64 * MiB;

/** A run folder that cannot be read: the reason is shown in listings. */
export class DamagedRunError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'DamagedRunError';
  }
}

/** Reads a JSON file of a run folder; DamagedRunError when it is too big or not JSON. */
export function readRunJson(path: string, name: string): unknown {
  const st = statSync(path);
  if (!st.isFile()) throw new DamagedRunError(`${name} is not a regular file`);
  const size = st.size;
  if (size > RUN_JSON_MAX_BYTES) {
    throw new DamagedRunError(
      `${name} is ${(size / MiB).toFixed(1)} MiB, above the ${RUN_JSON_MAX_BYTES / MiB} MiB limit`,
    );
  }
  const text = readFileSync(path, 'utf8');
  const deep = jsonDepthProblem(text);
  if (deep) throw new DamagedRunError(`${name} ${deep}`);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new DamagedRunError(`${name} is not valid JSON (${(e as Error).message})`);
  }
}

/** Parses samples.ndjson text, skipping a torn last line or any line that is not a valid sample. */
export function parseSamples(text: string): { samples: Sample[]; badLines: number } {
  const samples: Sample[] = [];
  let badLines = 0;
  for (const line of text.split('\n')) {
    const s = parseSampleLine(line);
    if (s === 'blank') continue;
    if (s === null) badLines++;
    else samples.push(s);
  }
  return { samples, badLines };
}

function parseSampleLine(line: string): Sample | null | 'blank' {
  if (line.trim() === '') return 'blank';
  // Too deep to serialise safely: treated like any other unreadable line.
  if (jsonDepthProblem(line)) return null;
  try {
    const parsed = SampleSchema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Streams samples.ndjson of a run folder through `each` (absent file: nothing).
 * Lines that are not valid samples (a torn last line after a crash) are skipped;
 * a file breaking the NDJSON caps throws DamagedRunError.
 */
export function forEachSample(dir: string, each: (s: Sample) => void): void {
  const path = join(dir, RUN_FILES.samples);
  if (!existsSync(path)) return;
  try {
    readNdjsonFile(
      path,
      RUN_FILES.samples,
      (line) => {
        const s = parseSampleLine(line);
        if (s !== 'blank' && s !== null) each(s);
      },
      NDJSON_LIMITS,
    );
  } catch (e) {
    if (e instanceof NdjsonLimitError) throw new DamagedRunError(e.message);
    throw e;
  }
}

/** The samples of a run folder (empty when the file is absent). Throws DamagedRunError. */
export function readSamples(dir: string): Sample[] {
  const samples: Sample[] = [];
  forEachSample(dir, (s) => samples.push(s));
  return samples;
}

/** Is this folder a run (or what is left of one)? */
export function looksLikeRun(dir: string): boolean {
  return existsSync(join(dir, RUN_FILES.experiment)) || existsSync(join(dir, RUN_FILES.samples));
}

/**
 * The list item of a run folder; a damaged one carries `damaged` with the reason. Never throws.
 * `thisHost` (the host probe's hostname) tells whether a "running" run's process could be ours.
 */
export function readRunItem(dir: string, folderName: string, thisHost: string): RunListItem {
  let exp: Partial<ExperimentRecord> = {};
  try {
    const expPath = join(dir, RUN_FILES.experiment);
    if (!existsSync(expPath)) throw new DamagedRunError(`${RUN_FILES.experiment} is missing`);
    const raw = readRunJson(expPath, RUN_FILES.experiment);
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw new DamagedRunError(`${RUN_FILES.experiment} is not a JSON object`);
    exp = raw as Partial<ExperimentRecord>;
    if (typeof exp.runId !== 'string' || typeof exp.startedAt !== 'string')
      throw new DamagedRunError(`${RUN_FILES.experiment} lacks runId or startedAt`);
    return itemFromRecord(dir, exp as ExperimentRecord, thisHost);
  } catch (e) {
    return damagedItem(dir, folderName, exp, errorText(e));
  }
}

function itemFromRecord(dir: string, exp: ExperimentRecord, thisHost: string): RunListItem {
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
        typeof b === 'string' ? b : String((b as { id?: unknown } | null)?.id),
      )
    : [];
  // Listing counts samples without keeping them.
  let sampleCount = 0;
  let failedCount = 0;
  forEachSample(dir, (s) => {
    sampleCount++;
    if (s.value === null) failedCount++;
  });
  let status: RunStatus = exp.status ?? 'interrupted';
  if (status === 'running') {
    const sameHost = exp.hostname === undefined || exp.hostname === thisHost;
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
    sampleCount,
    failedCount,
    imported: exp.imported === true || existsSync(join(dir, RUN_FILES.importedMarker)),
    order: runOrderOfRecord(exp),
    orderText: runOrderText(exp),
  };
  if (typeof exp.finishedAt === 'string') item.finishedAt = exp.finishedAt;
  const hostName = (exp.host as { name?: unknown } | undefined)?.name;
  if (typeof hostName === 'string') item.host = hostName.slice(0, 100);
  // A comparison across hosts (hosts/hostComparison.ts) names every place, this machine too.
  const compared = (exp as { comparesRuns?: unknown }).comparesRuns;
  const hosts = Array.isArray(compared) ? compared : (exp as { hosts?: unknown }).hosts;
  if (Array.isArray(hosts)) {
    const names = hosts
      .map((h) => h as { name?: unknown; host?: unknown } | null)
      .map((h) => h?.name ?? h?.host)
      .filter((n) => typeof n === 'string');
    if (names.length > 0) item.host = names.join(', ').slice(0, 200);
  }
  return item;
}

function damagedItem(
  dir: string,
  folderName: string,
  exp: Partial<ExperimentRecord>,
  reason: string,
): RunListItem {
  let startedAt = typeof exp.startedAt === 'string' ? exp.startedAt : '';
  if (startedAt === '') {
    try {
      startedAt = statSync(dir).mtime.toISOString();
    } catch {
      startedAt = new Date(0).toISOString();
    }
  }
  return {
    // The folder name is the id a damaged run is deleted by.
    runId: folderName,
    name: typeof exp.name === 'string' ? exp.name : folderName,
    dir,
    startedAt,
    status: 'interrupted',
    platforms: [],
    benchmarks: [],
    sampleCount: 0,
    failedCount: 0,
    imported: existsSync(join(dir, RUN_FILES.importedMarker)),
    damaged: reason,
  };
}

/** AppFailure for opening a damaged run (the listing shows the same reason). */
export function damagedFailure(runId: string, reason: string): AppFailure {
  return new AppFailure(
    'IO_ERROR',
    `run "${runId}" is damaged: ${reason}. It can only be deleted.`,
    { damaged: reason },
  );
}
