/**
 * The Platform interface: the runner talks to every platform (native, docker,
 * qemu) only through this, never branching on the kind of platform.
 */
import type { Availability, Capability, PlatformId } from '../../shared/platforms';
import type { ExperimentConfig } from '../../shared/config';
import type { BenchmarkId } from '../../shared/catalogue';

/** A benchmark binary built from resources/bench (the platform knows where it lives). */
export type BinaryName = 'linpack' | 'memsweep' | 'diskwrite' | 'forksum' | 'syscall';

export interface ExecRequest {
  binary: BinaryName;
  args: string[];
  /** Abort the repetition after this long (the platform kills the process). */
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface ExecResult {
  exitCode: number | null;
  /** Everything the process wrote on stdout (the @@BENCHVISOR line is parsed from it). */
  stdout: string;
  /** Wall-clock time measured by the platform around the process. */
  durationMs: number;
  /** Set when the platform ended the process itself (timeout, cancel, guest death). */
  failure?: { code: 'TIMEOUT' | 'CANCELLED' | 'GUEST_FAILED'; message: string };
}

export interface NginxRequest {
  /** Size of the generated file nginx serves. */
  fileSize: number;
  signal?: AbortSignal;
}

/** A running nginx inside the platform, reachable from the host. */
export interface NginxHandle {
  /** URL the host fetches (always a loopback address). */
  url: string;
  stop(): Promise<void>;
}

/** Console output of a platform session: live bytes plus keyboard input. */
export interface ConsoleSink {
  /** Called by the platform with every chunk its console produces. */
  data(chunk: string): void;
}

export interface PrepareContext {
  runId: string;
  config: ExperimentConfig;
  /** The run folder (platforms may keep scratch files in their own subfolder). */
  runDir: string;
  console: ConsoleSink;
  log(level: 'info' | 'warn' | 'error', message: string): void;
  signal: AbortSignal;
}

/** A prepared platform for one experiment: a booted guest, a created container, ... */
export interface PlatformSession {
  /** Where diskwrite writes (a file path or a block device inside the platform). */
  readonly diskTarget: string;
  exec(req: ExecRequest): Promise<ExecResult>;
  startNginx(req: NginxRequest): Promise<NginxHandle>;
  /** Keyboard input from the user's console. Returns false when nothing is listening. */
  write(data: string): boolean;
  /** Facts recorded in every sample's meta (accel, kvmEnabled from QMP, vcpus, limits...). */
  meta(): Promise<Record<string, unknown>>;
  /** Stop everything this session started. Safe to call twice. */
  dispose(): Promise<void>;
}

export interface Platform {
  readonly id: PlatformId;
  readonly capabilities: readonly Capability[];
  /** Is the platform usable here? Never throws: problems come back as reason + fix. */
  probe(): Promise<Availability>;
  /** Can this benchmark run here (beyond capabilities, e.g. nginx installed)? */
  supports(benchmark: BenchmarkId): Promise<Availability>;
  /** The exact command lines this platform would use (review step). */
  describe(config: ExperimentConfig): Promise<{ title: string; argv: string[] }[]>;
  prepare(ctx: PrepareContext): Promise<PlatformSession>;
  /**
   * Optional: removes resources a crashed earlier run left behind (docker
   * containers/volumes by label, native nginx of a killed CLI). The engine calls it once at start.
   */
  sweepOrphans?(): Promise<{ containers: string[]; volumes: string[]; processes?: string[] }>;
}
