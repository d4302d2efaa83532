/** File names inside a run folder (DESIGN.md §5; also the bundle layout). */
export const RUN_FILES = {
  experiment: 'experiment.json',
  environment: 'environment.json',
  samples: 'samples.ndjson',
  consoles: 'consoles',
  summary: 'summary.json',
  /** Per cell (platform × benchmark): status, repetitions, adaptive rule and stop reason. */
  cells: 'cells.json',
  /** The run's log events (one JSON object per line), warmups and skips included. */
  log: 'run.log.ndjson',
  /** Platforms' scratch files (disk benchmark targets, nginx prefixes); removed after the run. */
  scratch: 'scratch',
  /** Marker written by the bundle importer. */
  importedMarker: 'IMPORTED',
} as const;

/** What experiment.json holds. `config` is the resolved ExperimentConfig in file form (configForFile: varied fields as lists). */
export interface ExperimentRecord {
  runId: string;
  name: string;
  startedAt: string;
  finishedAt?: string;
  status: 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted';
  /** Process that ran the experiment (to tell a crashed run from a running one). */
  pid?: number;
  hostname?: string;
  config: unknown;
  /** Platforms or cells left out, with the reason. */
  skipped?: { platform: string; benchmark?: string; reason: string }[];
  message?: string;
  imported?: boolean;
  /** VMs that had more vCPUs than the host has CPUs (allowed by config.allowOvercommit). */
  overcommit?: { platform: string; target?: string; vcpus: number; hostCpus: number }[];
  /**
   * The order and instances the run used, and the seed of its rounds (designSchedules.ts).
   * Absent in runs from before: they ran sequentially, one instance per target.
   */
  design?: { order: 'interleaved' | 'sequential'; instances: number; seed?: number };
  /** Each "run N more repetitions" that appended to this run, in order (runExtension.ts). */
  extensions?: ExtensionRecord[];
  /** Version of this file's layout. */
  formatVersion: number;
  /** The lab host it ran on (shared/hosts.ts RanOn), set when it was copied home from there. */
  host?: { name: string; destination: string; remoteRunId?: string; facts?: unknown };
}

export const RUN_FORMAT_VERSION = 1;

/** What experiment.json keeps of each "run N more repetitions" of a run. */
export interface ExtensionRecord {
  startedAt: string;
  finishedAt: string;
  /** Repetitions asked for per cell. */
  repetitions: number;
  /** Measured and failed repetitions it added. */
  measured: number;
  failed: number;
  status: 'completed' | 'failed' | 'cancelled';
}
