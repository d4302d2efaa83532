/**
 * The run-engine port: everything the API service asks of whatever runs experiments — this
 * process's runner (localEngine.ts) or, later, an engine on another machine behind a transport.
 * Start, cancel, console input and acknowledgements, preview and doctor; nothing here knows
 * where the engine runs.
 *
 * Run events have one shape from the runner to every transport: the API contract's event
 * payloads (src/shared/api.ts EVENTS), tagged with their name. A console chunk carries the
 * byte offset of its end in its target's stream, counted once, by the runner (activeRun.ts);
 * the service and the transports pass that offset on and never count again.
 */
import type { EventPayload, Preview } from '../../shared/api';
import type { ExperimentConfig } from '../../shared/config';
import type { DoctorReport, PlatformId } from '../../shared/platforms';
import type { TargetInfo } from '../../shared/targets';

/** The events a run reports (a subset of the API's EVENTS; run:started is the service's own). */
export type RunEventName =
  'run:progress' | 'run:sample' | 'run:log' | 'run:finished' | 'console:data';

/** One event of a run, as it travels from the runner to the transports. */
export type RunEvent = {
  [E in RunEventName]: { event: E; payload: EventPayload<E> };
}[RunEventName];

/** Receives a run's events in order, from its first (which may come before start() resolves). */
export type RunEventSink = (e: RunEvent) => void;

/** A run that started. */
export interface StartedRun {
  runId: string;
  dir: string;
  platforms: PlatformId[];
  /** Every target in run order (one console each). */
  targets?: TargetInfo[];
  /** The run's name (run:more: the finished run's; run:start: the config's). */
  name?: string;
}

export interface RunEngine {
  doctor(refresh: boolean): Promise<DoctorReport>;
  /** The exact command lines of every target and the time estimate (the review step). */
  preview(config: ExperimentConfig): Promise<Preview>;
  /**
   * Starts a run whose events go to `events` until its run:finished; throws AppFailure
   * (BUSY, UNAVAILABLE, INVALID_CONFIG, ...) when it cannot start.
   */
  start(config: ExperimentConfig, events: RunEventSink): Promise<StartedRun>;
  /**
   * "Run N more repetitions": appends `repetitions` more per cell to a finished run, on its
   * targets with its config; its events go to `events` like a new run's. Throws AppFailure
   * (BUSY, NOT_FOUND, INVALID_INPUT for a run that is not finished or was measured elsewhere,
   * UNAVAILABLE when its targets cannot run here any more).
   */
  more(runId: string, repetitions: number, events: RunEventSink): Promise<StartedRun>;
  /** Cancels the run (false when it is not running). */
  cancel(runId: string): boolean;
  /**
   * Keyboard input to a target's console (absent target: the target that is its platform);
   * false when nothing is listening.
   */
  write(runId: string, platform: PlatformId, data: string, target?: string): boolean;
  /**
   * Every client rendered the target's console up to `offset` (the stream's byte offset). A
   * local engine does not wait for its clients; a remote one passes this on as its flow control.
   */
  ack(runId: string, stream: string, offset: number): void;
}
