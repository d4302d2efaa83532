/**
 * What the API service needs from the engine. The composition root adapts the real engine
 * (src/main/composition.ts) to this; tests pass a fake.
 */
import type { Preview, RunDetail } from '../../shared/api';
import type { ExperimentConfig } from '../../shared/config';
import type { DoctorReport, PlatformId } from '../../shared/platforms';
import type { TargetInfo } from '../../shared/targets';
import type { FinishedEvent, LogEvent, ProgressEvent, RunListItem } from '../../shared/run';
import type { Sample } from '../../shared/sample';
import type { ImportStaging } from '../export/importStaging';

/** Receives everything a running experiment reports. */
export interface RunObserver {
  progress(e: ProgressEvent): void;
  sample(s: Sample): void;
  log(e: LogEvent): void;
  /** Raw console output of one target (the engine also writes it to consoles/<target>.log). */
  console(platform: PlatformId, data: string, target?: string): void;
  finished(e: FinishedEvent): void;
}

/** A started run as the API service sees it (the engine's own handle is experiment/runner.ts RunHandle). */
export interface StartedRun {
  runId: string;
  dir: string;
  platforms: PlatformId[];
  /** Every target in run order (one console each). */
  targets?: TargetInfo[];
  cancel(): void;
  /** Keyboard input to a target's console (default: the platform's live one); false when nothing is listening. */
  write(platform: PlatformId, data: string, target?: string): boolean;
}

export interface HostFacts {
  cpuModel: string;
  cores: number;
  memoryMiB: number;
}

export interface ServiceDeps {
  version: string;
  runsDir: string;
  /** Where exported bundles go: the instance's data folder (AppPaths.exportsDir). */
  exportsDir: string;
  /** Where chunked bundle uploads are kept until imported: the instance's data folder. */
  uploadsDir: string;
  /** Staging folders of imports (removed on exit by the shells); a private one when absent. */
  staging?: ImportStaging;
  host: HostFacts;
  doctor(refresh: boolean): Promise<DoctorReport>;
  preview(config: ExperimentConfig): Promise<Preview>;
  /** Starts a run; throws AppFailure (UNAVAILABLE, INVALID_CONFIG, ...) when it cannot. */
  startRun(config: ExperimentConfig, observer: RunObserver): Promise<StartedRun>;
  listRuns(): Promise<RunListItem[]>;
  /** Null when no such run exists. */
  getRun(runId: string): Promise<RunDetail | null>;
  /** Deletes a finished run's folder; false when no such run exists. */
  deleteRun(runId: string): Promise<boolean>;
}
