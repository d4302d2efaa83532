/**
 * The Platform interface: the runner talks to every platform only through
 * this, never branching on the kind of platform. A platform's traits (kind,
 * titles, estimates, guest-shape fields) are data in src/shared/platforms.ts;
 * what a session offers benchmarks is the session contract (../session).
 */
import type { Availability, Capability, PlatformId } from '../../shared/platforms';
import type { ExperimentConfig } from '../../shared/config';
import type { BenchmarkId } from '../../shared/catalogue';
import type { PlatformSession, ToolVersionCommand } from '../session/types';
import type { DescribedCommand } from './describeCommands';

export type {
  ExecRequest,
  ExecResult,
  PlatformSession,
  ToolVersionCommand,
} from '../session/types';
export type { ServiceHandle, ServicePlace, ServiceSpec } from '../session/service';

/** Console output of a platform session: live bytes plus keyboard input. */
export interface ConsoleSink {
  /** Called by the platform with every chunk its console produces. */
  data(chunk: string): void;
}

export interface PrepareContext {
  runId: string;
  /**
   * The id of the target being prepared (platform × variant values; the platform id when
   * nothing varies): per-target resources (scratch folder, containers, volumes) take it in their
   * name. Every caller names it (the runner from its plan; a platform's own tests its id).
   */
  target: string;
  config: ExperimentConfig;
  /** The run folder (platforms may keep scratch files in their own subfolder). */
  runDir: string;
  /**
   * This target's own scratch folder (`<run>/scratch/<target>/`, util/targetScratch.ts), which the
   * platform creates and removes at dispose; absent: derived from runDir and target.
   */
  scratchDir?: string;
  console: ConsoleSink;
  log(level: 'info' | 'warn' | 'error', message: string): void;
  signal: AbortSignal;
}

export interface Platform {
  readonly id: PlatformId;
  readonly capabilities: readonly Capability[];
  /** Why a capability it lacks is missing, in the product's words (shown as "not applicable: ..."). */
  readonly lacking?: Partial<Record<Capability, string>>;
  /** The external programs it runs, for the versions in environment.json (none: it runs none). */
  readonly tools?: readonly ToolVersionCommand[];
  /** Is the platform usable here? Never throws: problems come back as reason + fix. */
  /** Can this platform run here (and, given, with this experiment's settings)? */
  probe(config?: ExperimentConfig): Promise<Availability>;
  /** Can this benchmark run here (beyond capabilities: binary built, service program installed)? */
  supports(benchmark: BenchmarkId): Promise<Availability>;
  /**
   * The exact command lines this platform would use (review step) for one target of the
   * experiment: `config` reduced to that target's shape, `target` its id (the platform id when
   * nothing varies), whose scratch folder holds its files.
   */
  describe(config: ExperimentConfig, target: string): Promise<DescribedCommand[]>;
  prepare(ctx: PrepareContext): Promise<PlatformSession>;
  /**
   * Optional: removes resources a crashed earlier run left behind (docker
   * containers/volumes by label, native services of a killed CLI). The engine calls it once at start.
   */
  sweepOrphans?(): Promise<{
    containers: string[];
    volumes: string[];
    processes?: string[];
    /** What could not be removed, in words (a daemon that did not answer). */
    problems?: string[];
  }>;
}
