/**
 * The session contract: what a benchmark may ask of a prepared platform (run a
 * binary, start a service, know where the disk is). Benchmarks and platforms
 * both depend on this; neither depends on the other's vocabulary.
 */
import type { SampleMetaFields } from '../../shared/sampleMeta/registry';
import type { BinaryName } from '../../shared/catalogue';
import type { ServiceHandle, ServiceSpec } from './service';

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
  /**
   * Set when the platform ended the process itself (timeout, cancel, guest death) or caught
   * it crashing (CRASHED: this run failed, the platform carries on).
   */
  failure?: { code: 'TIMEOUT' | 'CANCELLED' | 'GUEST_FAILED' | 'CRASHED'; message: string };
  /**
   * Facts of this one run, added to the sample's meta (e.g. the boot time of a fresh boot):
   * registered keys only (shared/sampleMeta).
   */
  meta?: SampleMetaFields;
}

/**
 * An external program a platform or benchmark runs, whose version environment.json records:
 * its key under `tools` and the command that prints the version (first line kept).
 */
export interface ToolVersionCommand {
  name: string;
  argv: readonly [string, ...string[]];
}

/** A prepared platform for one experiment: a booted guest, a created container, ... */
export interface PlatformSession {
  /** Where diskwrite writes (a file path or a block device inside the platform). */
  readonly diskTarget: string;
  exec(req: ExecRequest): Promise<ExecResult>;
  /** Starts a service (a server program) inside the platform, reachable from the host. */
  startService(spec: ServiceSpec, signal?: AbortSignal): Promise<ServiceHandle>;
  /** Keyboard input from the user's console. Returns false when nothing is listening. */
  write(data: string): boolean;
  /**
   * Facts recorded in every sample's meta (accel, kvmEnabled from QMP, vcpus, limits...):
   * registered keys only (shared/sampleMeta), each with its registered type.
   */
  meta(): Promise<SampleMetaFields>;
  /**
   * The target's own processes on this host (a VM's QEMU process): they and everything below
   * them are the run's CPU, never "other load" (host/hostCpuSampler.ts targetPids). Absent: the
   * target's processes are below the engine's own or in its container (found by cgroup).
   */
  processes?(): readonly number[];
  /**
   * Interleaved runs: an idle target is paused so that it does not compete with the one that
   * measures (a guest's vCPUs stopped, a container's processes frozen); resume() before its next
   * repetition. Both run outside the timed part. Absent: nothing to pause (native; the library
   * OS boots per repetition).
   */
  pause?(): Promise<void>;
  resume?(): Promise<void>;
  /** Stop everything this session started. Safe to call twice. */
  dispose(): Promise<void>;
}
