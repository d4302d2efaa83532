/**
 * One place's part of a run on several places: this machine (the local run engine) or a lab
 * host (RemoteRun, copied home when it ends). Both look the same to placesEngine.ts: events
 * through an observer, cancel, console input, and an outcome naming the run in the local history.
 */
import type { ExperimentConfig } from '../../shared/config';
import type { Host } from '../../shared/hosts';
import { THIS_MACHINE } from '../../shared/hosts';
import type { PlatformId } from '../../shared/platforms';
import { errorText } from '../../shared/result';
import type { RunStatus } from '../../shared/run';
import type { RunEngine } from '../engine/runEngine';
import { RemoteRun, type RemoteRunObserver, type RemoteRunOptions } from './remoteRun';

export interface PlaceOutcome {
  place: string;
  status: RunStatus | 'unreachable';
  /** The run in the local history (this machine's own run, or a host's run copied home). */
  local: { runId: string; dir: string } | null;
  measured: number;
  failed: number;
  error?: string;
}

export interface PlaceRun {
  place: string;
  cancel(): void;
  write(platform: PlatformId, data: string, target?: string): boolean;
  ack(stream: string, offset: number): void;
  finished: Promise<PlaceOutcome>;
}

export type PlaceStart =
  { ok: true; run: PlaceRun } | { ok: false; place: string; message: string };

/** This machine's part: a run of the local engine. */
export async function startHere(
  engine: RunEngine,
  config: ExperimentConfig,
  o: RemoteRunObserver,
): Promise<PlaceStart> {
  let resolve!: (outcome: PlaceOutcome) => void;
  const finished = new Promise<PlaceOutcome>((r) => (resolve = r));
  try {
    const started = await engine.start(config, (e) => {
      if (e.event === 'run:progress') o.progress(e.payload);
      else if (e.event === 'run:sample') o.sample(e.payload);
      else if (e.event === 'run:log') o.log(e.payload);
      else if (e.event === 'console:data')
        o.console(e.payload.platform, e.payload.data, e.payload.offset, e.payload.target);
      else
        resolve({
          place: THIS_MACHINE,
          status: e.payload.status,
          local: { runId: e.payload.runId, dir: e.payload.dir },
          measured: e.payload.measured,
          failed: e.payload.failed,
          ...(e.payload.message ? { error: e.payload.message } : {}),
        });
    });
    const id = started.runId;
    return {
      ok: true,
      run: {
        place: THIS_MACHINE,
        cancel: () => void engine.cancel(id),
        write: (platform, data, target) => engine.write(id, platform, data, target),
        ack: (stream, offset) => engine.ack(id, stream, offset),
        finished,
      },
    };
  } catch (e) {
    return { ok: false, place: THIS_MACHINE, message: errorText(e) };
  }
}

/** A lab host's part: the run at the host, followed there and copied home when it ends. */
export async function startThere(
  host: Host,
  config: ExperimentConfig,
  opts: RemoteRunOptions,
): Promise<PlaceStart> {
  const started = await RemoteRun.start(host, config, opts);
  if (!started.ok) {
    const p = started.problem;
    const message = p
      ? `${p.message}. Fix: ${p.fix}`
      : `${host.name}: cannot start there: ${started.error?.message ?? 'unknown error'}`;
    return { ok: false, place: host.name, message };
  }
  const run = started.run;
  return {
    ok: true,
    run: {
      place: host.name,
      cancel: () => run.cancel(),
      // The keys go out at once; whether the host's console took them comes back as its echo.
      write: (platform, data, target) => {
        void run.write(platform, data, target);
        return true;
      },
      // The remote run acknowledges what it receives itself.
      ack: () => {},
      finished: run.finished.then((o) => ({
        place: host.name,
        status: o.status,
        local: o.local ? { runId: o.local.runId, dir: o.local.dir } : null,
        measured: o.finished?.measured ?? 0,
        failed: o.finished?.failed ?? 0,
        ...(o.error ? { error: o.error } : {}),
      })),
    },
  };
}
