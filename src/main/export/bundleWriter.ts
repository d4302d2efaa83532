/**
 * Bundle export: the run folder + report.html + report.md + plots/*.svg +
 * csv/samples.csv + csv/summary.csv + csv/<platform>-<benchmark>.csv, as one
 * zip written with yazl to a temp file next to the target, then renamed.
 */
import {
  createWriteStream,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { once } from 'node:events';
import yazl from 'yazl';
import type { RunDetail } from '../../shared/api';
import { AppFailure } from '../../shared/result';
import { RUN_FILES } from '../store/runFiles';
import { readRunJson } from '../store/runReader';
import { classicCsvFiles, samplesCsv, summaryCsv } from './csv';
import { CSV_DIR, entryKind, PLOTS_DIR, REPORT_HTML, REPORT_MD, RUN_FOLDER_FILES } from './layout';
import { reportHtml } from './reportHtml';
import { reportMarkdown } from './reportMarkdown';
import { buildReportModel } from './reportModel';

/** What the exporter needs from the run store (RunStore in src/main/store satisfies it). */
export interface RunSource {
  /** A run by id (never a path). */
  get(runId: string): RunDetail;
  /** cells.json of a run folder. */
  readCells?(dir: string): unknown;
}

export interface ExportResult {
  file: string;
  bytes: number;
  entries: string[];
}

/** Regular files only (a symlink in a run folder is never followed into a bundle). */
function isRegularFile(path: string): boolean {
  try {
    return lstatSync(path).isFile();
  } catch {
    return false;
  }
}

/** Writes the bundle of one run (by id) to `outFile` (parent folders created). Throws AppFailure. */
export async function exportBundle(
  source: RunSource,
  runId: string,
  outFile: string,
): Promise<ExportResult> {
  const detail = source.get(runId);
  let cells: unknown;
  try {
    cells = source.readCells?.(detail.item.dir);
  } catch {
    cells = undefined;
  }
  return exportRunDetail(detail, outFile, cells);
}

/** Reads cells.json of a run folder (undefined when absent or unreadable). */
function readCellsFile(dir: string): unknown {
  try {
    return readRunJson(join(dir, RUN_FILES.cells), RUN_FILES.cells);
  } catch {
    return undefined;
  }
}

/** Writes the bundle of a run already loaded (its files are read from detail.item.dir). */
export async function exportRunDetail(
  detail: RunDetail,
  outFile: string,
  cells?: unknown,
): Promise<ExportResult> {
  const dir = detail.item.dir;
  const model = await buildReportModel(detail, cells ?? readCellsFile(dir));

  const zip = new yazl.ZipFile();
  const entries: string[] = [];
  const add = (name: string, data: string | Buffer) => {
    zip.addBuffer(Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8'), name, {
      mode: 0o100644,
    });
    entries.push(name);
  };
  for (const name of RUN_FOLDER_FILES) {
    const p = join(dir, name);
    if (!isRegularFile(p)) continue;
    zip.addFile(p, name, { mode: 0o100644 });
    entries.push(name);
  }
  const consoles = join(dir, RUN_FILES.consoles);
  if (existsSync(consoles)) {
    for (const f of readdirSync(consoles).sort()) {
      const name = `${RUN_FILES.consoles}/${f}`;
      if (entryKind(name) !== 'console' || !isRegularFile(join(consoles, f))) continue;
      zip.addFile(join(consoles, f), name, { mode: 0o100644 });
      entries.push(name);
    }
  }
  add(REPORT_HTML, reportHtml(model));
  add(REPORT_MD, reportMarkdown(model));
  for (const c of model.charts) add(`${PLOTS_DIR}/${c.name}.svg`, c.svg);
  add(`${CSV_DIR}/samples.csv`, samplesCsv(detail.samples));
  add(`${CSV_DIR}/summary.csv`, summaryCsv(model.summary));
  for (const f of classicCsvFiles(detail.samples)) add(`${CSV_DIR}/${f.name}`, f.content);
  zip.end();

  const target = resolve(outFile);
  mkdirSync(dirname(target), { recursive: true });
  const tmp = join(dirname(target), `.${basename(target)}.partial-${process.pid}`);
  const out = createWriteStream(tmp);
  try {
    zip.outputStream.pipe(out);
    await Promise.race([
      once(out, 'close'),
      once(zip.outputStream, 'error').then(([e]) => Promise.reject(e as Error)),
      once(out, 'error').then(([e]) => Promise.reject(e as Error)),
    ]);
    renameSync(tmp, target);
  } catch (e) {
    out.destroy();
    rmSync(tmp, { force: true });
    throw new AppFailure(
      'IO_ERROR',
      `cannot write ${target}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  return { file: target, bytes: lstatSync(target).size, entries };
}
