/**
 * Bundle layout: the run folder (DESIGN.md §5) plus the generated report files.
 * Everything sits at the zip's root; the importer accepts only these names.
 */
import { RUN_FILES } from '../store/runFiles';

/** Files copied from the run folder into the bundle (besides consoles/*.log). */
export const RUN_FOLDER_FILES = [
  RUN_FILES.experiment,
  RUN_FILES.environment,
  RUN_FILES.samples,
  RUN_FILES.summary,
  RUN_FILES.cells,
  RUN_FILES.log,
] as const;

export const REPORT_HTML = 'report.html';
export const REPORT_MD = 'report.md';
export const PLOTS_DIR = 'plots';
export const CSV_DIR = 'csv';

/** One path segment of a generated or console file name: letters, digits, dot, dash, underscore. */
const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** The kind of an accepted bundle entry, or null when the name is not part of the layout. */
export type EntryKind = 'json' | 'ndjson' | 'console' | 'report' | 'plot' | 'csv' | 'marker';

export function entryKind(name: string): EntryKind | null {
  if (name === RUN_FILES.samples || name === RUN_FILES.log) return 'ndjson';
  if (
    name === RUN_FILES.experiment ||
    name === RUN_FILES.environment ||
    name === RUN_FILES.summary ||
    name === RUN_FILES.cells
  ) {
    return 'json';
  }
  if (name === REPORT_HTML || name === REPORT_MD) return 'report';
  if (name === RUN_FILES.importedMarker) return 'marker';
  const parts = name.split('/');
  if (parts.length !== 2) return null;
  const [dir, file] = parts as [string, string];
  if (!SAFE_SEGMENT.test(file)) return null;
  if (dir === RUN_FILES.consoles && file.endsWith('.log')) return 'console';
  if (dir === PLOTS_DIR && file.endsWith('.svg')) return 'plot';
  if (dir === CSV_DIR && file.endsWith('.csv')) return 'csv';
  return null;
}

/** Human description of the accepted layout (for error messages). */
export const LAYOUT_TEXT =
  'experiment.json, environment.json, samples.ndjson, summary.json, cells.json, run.log.ndjson, consoles/*.log, report.html, report.md, plots/*.svg, csv/*.csv';
