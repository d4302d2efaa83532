/**
 * Bundle import: validates every entry (name, type, declared and actual
 * sizes, compression ratio, NDJSON line caps as the bytes stream in), extracts
 * only the run-folder files into a staging folder (importStaging.ts: hidden, never
 * listed), validates their contents with zod, marks the run as imported and renames
 * it into place. Any problem: AppFailure BUNDLE_INVALID, the staging folder is
 * removed and nothing else was written.
 */
import { once } from 'node:events';
import { crc32 } from 'node:zlib';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import yauzl from 'yauzl';
import { z } from 'zod';
import { AppFailure, describeZodError } from '../../shared/result';
import { RunStatus } from '../../shared/run';
import { jsonDepthProblem } from '../../shared/safeJson';
import { SampleSchema } from '../../shared/sample';
import { TargetIdSchema } from '../../shared/targets';
import { RUN_FILES } from '../store/runFiles';
import { isSafeRunName } from '../store/runId';
import { entryKind, LAYOUT_TEXT } from './layout';
import type { EntryKind } from './layout';
import { DEFAULT_LIMITS } from './limits';
import { ImportStaging } from './importStaging';
import type { BundleLimits } from './limits';
import { entryType, unsafeNameReason } from './entryName';
import { nextEntry, openStream, openZip } from './boundedZipReader';
import { checkSizes, EntrySpans, overlapReason } from './entrySpans';
import { NdjsonLimitError, NdjsonLineSplitter, type NdjsonLimits } from '../util/ndjson';

export interface ImportOptions {
  runsDir: string;
  /** Where the bundle is unpacked first (default: a private ImportStaging of runsDir). */
  staging?: ImportStaging;
  limits?: BundleLimits;
  /** Clock for importedAt (tests). */
  now?: () => Date;
}

export interface ImportResult {
  runId: string;
  dir: string;
  /** The run id recorded in the bundle (differs from runId when that name was taken). */
  originalRunId: string;
  samples: number;
}

/** Kinds that are copied into the run folder; report files are regenerated on export, so not kept. */
const KEPT: ReadonlySet<EntryKind> = new Set(['json', 'ndjson', 'console']);

const ExperimentFileSchema = z.looseObject({
  runId: z.string().min(1).max(200),
  name: z.string().max(1000).optional(),
  startedAt: z.string().min(1),
  finishedAt: z.string().optional(),
  status: RunStatus.optional(),
  config: z.record(z.string(), z.unknown()),
});
const JsonObjectSchema = z.record(z.string(), z.unknown());

const invalid = (message: string, details?: unknown) =>
  new AppFailure('BUNDLE_INVALID', message, details);

function maxBytesFor(kind: EntryKind, limits: BundleLimits): number {
  if (kind === 'json') return limits.maxEntryBytes.json;
  if (kind === 'ndjson') return limits.maxEntryBytes.ndjson;
  if (kind === 'console') return limits.maxEntryBytes.console;
  return limits.maxEntryBytes.other;
}

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
const hex8 = (n: number) => n.toString(16).padStart(8, '0');

/** Streams one entry to `target` (or nowhere), counting bytes against the declared size. */
async function extractEntry(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  name: string,
  target: string | null,
  lines: NdjsonLineSplitter | null,
): Promise<void> {
  const stream = await openStream(zip, entry);
  const out = target ? createWriteStream(target, { flags: 'wx' }) : null;
  let bytes = 0;
  let crc = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      crc = crc32(chunk, crc);
      if (bytes > entry.uncompressedSize) {
        throw invalid(
          `entry "${name}" holds more data than the ${entry.uncompressedSize} bytes it declares`,
        );
      }
      // NDJSON is checked line by line as it arrives: a cap stops the import at once.
      lines?.push(chunk);
      if (out && !out.write(chunk)) await once(out, 'drain');
    }
    lines?.end();
    if (bytes !== entry.uncompressedSize) {
      throw invalid(`entry "${name}" holds ${bytes} bytes but declares ${entry.uncompressedSize}`);
    }
    if (crc !== entry.crc32) {
      throw invalid(
        `entry "${name}" is damaged: its CRC-32 is ${hex8(crc)} but the zip records ${hex8(entry.crc32)}`,
      );
    }
  } catch (e) {
    stream.destroy();
    if (e instanceof AppFailure) throw e;
    if (e instanceof NdjsonLimitError) throw invalid(`entry ${e.message}`);
    throw invalid(
      `entry "${name}" cannot be decompressed: ${e instanceof Error ? e.message : String(e)}`,
    );
  } finally {
    if (out) {
      out.end();
      await once(out, 'close');
    }
  }
}

/** Reads entries, validating each, and extracts the kept ones under `tmp`. Returns the names seen and the sample count. */
async function extractAll(
  zip: yauzl.ZipFile,
  tmp: string,
  limits: BundleLimits,
): Promise<{ names: Set<string>; samples: number }> {
  let samples = 0;
  if (zip.entryCount > limits.maxEntries) {
    throw invalid(
      `the bundle has ${zip.entryCount} entries; at most ${limits.maxEntries} are accepted`,
    );
  }
  const seen = new Set<string>();
  const spans = new EntrySpans();
  let total = 0;
  for (;;) {
    const entry = await nextEntry(zip);
    if (!entry) break;
    const raw = entry.fileNameRaw ?? (entry.fileName as unknown as Buffer);
    const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, raw, [], true);
    const shown = JSON.stringify(name).slice(1, -1);
    const unsafe = unsafeNameReason(name);
    if (unsafe) throw invalid(`entry "${shown}" ${unsafe}`);
    const type = entryType(name, entry.externalFileAttributes, entry.versionMadeBy);
    if (type === 'symlink')
      throw invalid(`entry "${shown}" is a symbolic link; bundles may only hold regular files`);
    if (type === 'other')
      throw invalid(`entry "${shown}" is not a regular file (special file type in its attributes)`);
    if (type === 'directory') {
      if (entry.uncompressedSize !== 0)
        throw invalid(
          `directory entry "${shown}" declares ${entry.uncompressedSize} bytes of content`,
        );
      continue;
    }
    const overlapped = spans.add(
      name,
      entry.relativeOffsetOfLocalHeader,
      raw.length,
      entry.compressedSize,
    );
    if (overlapped !== null) throw invalid(`entry "${shown}" ${overlapReason(overlapped)}`);
    const kind = entryKind(name);
    if (!kind)
      throw invalid(`unexpected entry "${shown}": a Benchvisor bundle holds only ${LAYOUT_TEXT}`);
    if (seen.has(name)) throw invalid(`entry "${shown}" appears twice`);
    seen.add(name);
    if (entry.isEncrypted()) throw invalid(`entry "${shown}" is encrypted`);
    total = checkSizes(entry, shown, maxBytesFor(kind, limits), limits, total, zip.fileSize);
    let target: string | null = null;
    if (KEPT.has(kind)) {
      target = resolve(tmp, name);
      // Belt and braces: the name was validated, but never write outside the temp folder.
      if (!target.startsWith(tmp + sep))
        throw invalid(`entry "${shown}" resolves outside the import folder`);
      mkdirSync(dirname(target), { recursive: true });
    }
    const lines =
      kind === 'ndjson'
        ? ndjsonValidator(name, limits.ndjson, () => {
            if (name === RUN_FILES.samples) samples++;
          })
        : null;
    await extractEntry(zip, entry, shown, target, lines);
  }
  return { names: seen, samples };
}

/** Checks every line of an NDJSON entry as it streams in: JSON, and a valid sample in samples.ndjson. */
function ndjsonValidator(
  name: string,
  limits: NdjsonLimits,
  counted: () => void,
): NdjsonLineSplitter {
  return new NdjsonLineSplitter(name, limits, (text, line) => {
    if (text.trim() === '') return;
    const deep = jsonDepthProblem(text);
    if (deep) throw invalid(`${name} line ${line} ${deep}`);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw invalid(
        `${name} line ${line} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    if (name === RUN_FILES.samples) {
      const p = SampleSchema.safeParse(value);
      if (!p.success)
        throw invalid(`${name} line ${line} is not a valid sample:\n${describeZodError(p.error)}`);
    }
    counted();
  });
}

function parseJsonFile(path: string, name: string): unknown {
  const text = readFileSync(path, 'utf8');
  const deep = jsonDepthProblem(text);
  if (deep) throw invalid(`${name} ${deep}`);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw invalid(`${name} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** The first `target` of a cells.json record that is not a target id, or null. */
function badCellTarget(cells: unknown): unknown {
  if (!Array.isArray(cells)) return null;
  for (const c of cells) {
    const target: unknown =
      typeof c === 'object' && c !== null ? (c as { target?: unknown }).target : undefined;
    if (target !== undefined && !TargetIdSchema.safeParse(target).success) return target;
  }
  return null;
}

/** Validates the extracted JSON files (NDJSON was checked while extracting); returns experiment.json's record. */
function validateContents(tmp: string, names: Set<string>): z.infer<typeof ExperimentFileSchema> {
  for (const required of [RUN_FILES.experiment, RUN_FILES.samples]) {
    if (!names.has(required))
      throw invalid(`the bundle has no ${required}: it is not a Benchvisor run`);
  }
  const expParsed = ExperimentFileSchema.safeParse(
    parseJsonFile(join(tmp, RUN_FILES.experiment), RUN_FILES.experiment),
  );
  if (!expParsed.success)
    throw invalid(
      `${RUN_FILES.experiment} has the wrong shape:\n${describeZodError(expParsed.error)}`,
    );
  for (const name of [RUN_FILES.environment, RUN_FILES.summary]) {
    if (!names.has(name)) continue;
    const p = JsonObjectSchema.safeParse(parseJsonFile(join(tmp, name), name));
    if (!p.success) throw invalid(`${name} must be a JSON object`);
  }
  if (names.has(RUN_FILES.cells)) {
    const cells = parseJsonFile(join(tmp, RUN_FILES.cells), RUN_FILES.cells);
    if (!Array.isArray(cells) && (typeof cells !== 'object' || cells === null))
      throw invalid(`${RUN_FILES.cells} must be a JSON array or object`);
    const badTarget = badCellTarget(cells);
    if (badTarget !== null)
      throw invalid(
        `${RUN_FILES.cells} names the target ${JSON.stringify(badTarget)}: a target is an id (lower-case letters, digits, dots and dashes)`,
      );
  }
  return expParsed.data;
}

/** A free folder name for the run: its own id when free, else "<id>-imported[-N]". */
function freeName(runsDir: string, runId: string): string {
  const base = isSafeRunName(runId) ? runId : 'imported-run';
  if (!existsSync(join(runsDir, base))) return base;
  for (let i = 1; ; i++) {
    const name = i === 1 ? `${base}-imported` : `${base}-imported-${i}`;
    if (!existsSync(join(runsDir, name))) return name;
  }
}

/** Imports a bundle (a file path or its bytes) into runsDir. Throws AppFailure BUNDLE_INVALID / IO_ERROR. */
export async function importBundle(
  source: string | Buffer,
  opts: ImportOptions,
): Promise<ImportResult> {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const runsDir = resolve(opts.runsDir);
  if (typeof source === 'string') {
    if (!existsSync(source)) throw new AppFailure('NOT_FOUND', `no bundle file ${source}`);
  } else if (source.length > limits.maxZipBytes) {
    throw invalid(
      `the bundle is ${mib(source.length)}, above the ${mib(limits.maxZipBytes)} limit`,
    );
  }
  mkdirSync(runsDir, { recursive: true });
  const staging = opts.staging ?? new ImportStaging(runsDir);
  const tmp = staging.create();
  let zip: yauzl.ZipFile | null = null;
  try {
    zip = await openZip(source);
    if (zip.fileSize > limits.maxZipBytes)
      throw invalid(
        `the bundle is ${mib(zip.fileSize)}, above the ${mib(limits.maxZipBytes)} limit`,
      );
    const { names, samples } = await extractAll(zip, tmp, limits);
    const experiment = validateContents(tmp, names);
    const runId = freeName(runsDir, experiment.runId);
    const record = {
      ...experiment,
      runId,
      imported: true,
      importedAt: (opts.now ?? (() => new Date()))().toISOString(),
      originalRunId: experiment.runId,
      // A run still "running" in someone else's bundle is not running here.
      status:
        experiment.status === 'running' || experiment.status === undefined
          ? 'interrupted'
          : experiment.status,
    };
    delete (record as { pid?: unknown }).pid;
    writeFileSync(join(tmp, RUN_FILES.experiment), JSON.stringify(record, null, 2) + '\n');
    writeFileSync(join(tmp, RUN_FILES.importedMarker), `imported ${record.importedAt}\n`);
    const dir = join(runsDir, runId);
    renameSync(tmp, dir);
    staging.committed(tmp);
    return { runId, dir, originalRunId: experiment.runId, samples };
  } catch (e) {
    staging.discard(tmp);
    if (e instanceof AppFailure) throw e;
    throw new AppFailure(
      'IO_ERROR',
      `import failed: ${e instanceof Error ? e.message : String(e)}`,
    );
  } finally {
    zip?.close();
  }
}
