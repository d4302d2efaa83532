/**
 * A run on several places at once — this machine and/or lab hosts, all in parallel — as one
 * run of the run-engine port (engine/runEngine.ts): the API service, the run view and its
 * consoles treat it like a local run. Each place's events are renamed into the combined run
 * (placeEvents.ts); typing and cancel go to the place a console belongs to. When every place
 * has ended, the hosts' runs are in the local history (copied home), and a run on two places
 * or more is opened as one comparison by host (hostComparison.ts): run:finished names it
 * (resultRunId). A place that cannot start fails alone; the others go on.
 */
import { existsSync } from 'node:fs';
import type { ExperimentConfig } from '../../shared/config';
import type { Host, RunPlaces } from '../../shared/hosts';
import { PLACES_RUN_PREFIX, THIS_MACHINE, placesRunName } from '../../shared/hosts';
import { AppFailure, errorText } from '../../shared/result';
import type { FinishedEvent } from '../../shared/run';
import type { RunEngine, RunEventSink, StartedRun } from '../engine/runEngine';
import { newRunId } from '../store/runId';
import { combineHostRuns } from './hostComparison';
import {
  ProgressSum,
  logAt,
  placeTargets,
  placeTitle,
  sampleAt,
  streamAt,
  type PlaceTarget,
} from './placeEvents';
import {
  startHere,
  startThere,
  type PlaceOutcome,
  type PlaceRun,
  type PlaceStart,
} from './placeRuns';
import type { RemoteRunObserver, RemoteRunOptions } from './remoteRun';

export interface PlacesDeps {
  /** This machine's engine (also answers doctor and preview). */
  local: RunEngine;
  /** The host by name (throws NOT_FOUND naming the known ones). */
  host(name: string): Host;
  /** How hosts are reached and where their runs are copied (without the observer). */
  remote: Omit<RemoteRunOptions, 'observer'>;
  runsDir: string;
}

export { PLACES_RUN_PREFIX };

/** The places of a run, this machine first. */
function placeNames(where: RunPlaces): string[] {
  return [...(where.local ? [THIS_MACHINE] : []), ...where.hosts];
}

function observerFor(place: string, runId: string, sink: RunEventSink, sum: ProgressSum) {
  const observer: RemoteRunObserver = {
    progress: (e) => sink({ event: 'run:progress', payload: sum.add(place, e) }),
    sample: (s) => sink({ event: 'run:sample', payload: sampleAt(s, place, runId) }),
    log: (e) => sink({ event: 'run:log', payload: logAt(e, place, runId) }),
    console: (platform, data, offset, target) =>
      sink({
        event: 'console:data',
        payload: { runId, platform, target: streamAt(place, platform, target), data, offset },
      }),
    notice: (message) =>
      sink({ event: 'run:log', payload: { runId, level: 'warn', message, at: now() } }),
  };
  return observer;
}

function now(): string {
  return new Date().toISOString();
}

/** The combined run:finished: every place's outcome, and where the results are. */
function finishedEvent(runId: string, outcomes: PlaceOutcome[], deps: PlacesDeps): FinishedEvent {
  // A place's run may have been deleted from the history meanwhile (it ended before the others).
  const kept = (o: PlaceOutcome) => o.local !== null && existsSync(o.local.dir);
  const copies = outcomes.filter(kept);
  const lines = outcomes.map(
    (o) =>
      `${placeTitle(o.place)}: ${o.status}${o.local ? (kept(o) ? ` (in the history as ${o.local.runId})` : ` (run ${o.local.runId} was deleted from the history since)`) : ''}${o.error && o.status !== 'completed' ? ` — ${o.error}` : ''}`,
  );
  let result: { runId: string; dir: string } | null = copies[0]?.local ?? null;
  if (copies.length >= 2) {
    try {
      result = combineHostRuns(
        deps.runsDir,
        copies.map((o) => ({ host: placeTitle(o.place), dir: o.local!.dir })),
      );
      lines.push(`one comparison by host: run ${result.runId}`);
    } catch (e) {
      lines.push(`the comparison by host could not be written: ${errorText(e)}`);
    }
  }
  const status = outcomes.some((o) => o.status === 'cancelled')
    ? 'cancelled'
    : outcomes.every((o) => o.status === 'completed' && o.local)
      ? 'completed'
      : 'failed';
  return {
    runId,
    status,
    dir: result?.dir ?? deps.runsDir,
    failed: outcomes.reduce((n, o) => n + o.failed, 0),
    measured: outcomes.reduce((n, o) => n + o.measured, 0),
    message: lines.join('; '),
    ...(result ? { resultRunId: result.runId } : {}),
  };
}

/** The places that could not start, as outcomes of their own. */
function unreachable(starts: readonly PlaceStart[]): PlaceOutcome[] {
  return starts.flatMap((s) =>
    s.ok
      ? []
      : [
          {
            place: s.place,
            status: 'unreachable',
            local: null,
            measured: 0,
            failed: 0,
            error: s.message,
          },
        ],
  );
}

/** A run engine for one run on `where` (unknown hosts are refused here, before anything starts). */
export function placesEngine(deps: PlacesDeps, where: RunPlaces): RunEngine {
  const hosts = where.hosts.map((n) => deps.host(n));
  const runs: PlaceRun[] = [];
  let back = new Map<string, PlaceTarget>();
  const runAt = (place: string) => runs.find((r) => r.place === place);

  const start = async (config: ExperimentConfig, sink: RunEventSink): Promise<StartedRun> => {
    const runId = `${PLACES_RUN_PREFIX}${newRunId()}`;
    const places = placeNames(where);
    const sum = new ProgressSum(runId);
    const starts = await Promise.all(
      places.map((place) => {
        const observer = observerFor(place, runId, sink, sum);
        const host = hosts.find((h) => h.name === place);
        return host
          ? startThere(host, config, { ...deps.remote, observer })
          : startHere(deps.local, config, observer);
      }),
    );
    const failedStarts = unreachable(starts);
    for (const s of starts) if (s.ok) runs.push(s.run);
    if (runs.length === 0)
      throw new AppFailure('UNAVAILABLE', failedStarts.map((f) => f.error).join('\n'));
    for (const f of failedStarts)
      sink({ event: 'run:log', payload: { runId, level: 'error', message: f.error!, at: now() } });
    const mapped = placeTargets(
      config,
      places.filter((p) => runAt(p)),
    );
    back = mapped.back;
    void Promise.all(runs.map((r) => r.finished)).then((outcomes) =>
      sink({
        event: 'run:finished',
        payload: finishedEvent(runId, [...outcomes, ...failedStarts], deps),
      }),
    );
    return {
      runId,
      dir: deps.runsDir,
      // Named for people while it runs: its id is not a folder in the history.
      name: placesRunName(
        config.name,
        places.filter((p) => runAt(p)),
      ),
      platforms: [...config.platforms],
      targets: mapped.targets,
    };
  };

  return {
    doctor: (refresh) => deps.local.doctor(refresh),
    preview: (config) => deps.local.preview(config),
    start,
    // More repetitions go to the run's own engine (this machine's); a run over places is not one.
    more: () =>
      Promise.reject(
        new AppFailure(
          'INVALID_INPUT',
          'more repetitions are added to a run of this machine, not to a run over lab hosts',
        ),
      ),
    cancel: () => {
      for (const r of runs) r.cancel();
      return runs.length > 0;
    },
    write: (_runId, _platform, data, target) => {
      const t = target !== undefined ? back.get(target) : undefined;
      const run = t ? runAt(t.place) : undefined;
      if (!t || !run) return false;
      return run.write(t.platform, data, t.target === t.platform ? undefined : t.target);
    },
    ack: (_runId, stream, offset) => {
      const t = back.get(stream);
      if (t) runAt(t.place)?.ack(t.target, offset);
    },
  };
}
