/**
 * A run on several places (this machine and/or lab hosts) reads as one run: each place's events
 * are renamed into it. A target becomes `<target>.on-<place>` labelled "<place> · <label>" (the
 * same ids the comparison by host uses, shared/targets.ts hostTargetId), log lines name their
 * place, and the places' progress adds up (the ETA is the slowest place's).
 */
import { placeTitle } from '../../shared/hosts';
import type { LogEvent, ProgressEvent } from '../../shared/run';
import type { Sample } from '../../shared/sample';
import { expandTargets, hostTargetId, type TargetInfo } from '../../shared/targets';
import type { ExperimentConfig } from '../../shared/config';
import type { PlatformId } from '../../shared/platforms';
import { sampleOnHost } from './hostComparison';

export { placeTitle };

/** Where one target of the combined run really runs. */
export interface PlaceTarget {
  place: string;
  platform: PlatformId;
  /** The target's id at its place. */
  target: string;
}

/** The combined run's targets (place by place) and the way back from each id to its place. */
export function placeTargets(
  config: ExperimentConfig,
  places: readonly string[],
): { targets: TargetInfo[]; back: Map<string, PlaceTarget> } {
  const expansion = expandTargets(config);
  const own = expansion.ok ? expansion.targets : [];
  const targets: TargetInfo[] = [];
  const back = new Map<string, PlaceTarget>();
  for (const place of places)
    for (const t of own) {
      const id = hostTargetId(t.id, placeTitle(place));
      targets.push({ id, platform: t.platform, label: `${placeTitle(place)} · ${t.label}` });
      back.set(id, { place, platform: t.platform, target: t.id });
    }
  return { targets, back };
}

export function sampleAt(s: Sample, place: string, runId: string): Sample {
  return sampleOnHost(s, placeTitle(place), runId);
}

export function logAt(e: LogEvent, place: string, runId: string): LogEvent {
  return { ...e, runId, message: `${placeTitle(place)}: ${e.message}` };
}

/** The combined run's id of a place's console stream (its target, or its platform). */
export function streamAt(place: string, platform: PlatformId, target?: string): string {
  return hostTargetId(target ?? platform, placeTitle(place));
}

/** Adds up the places' latest progress into the combined run's. */
export class ProgressSum {
  private readonly latest = new Map<string, ProgressEvent>();
  private lastPlace: string | null = null;

  constructor(private readonly runId: string) {}

  add(place: string, e: ProgressEvent): ProgressEvent {
    this.latest.set(place, e);
    this.lastPlace = place;
    let done = 0;
    let total = 0;
    let elapsedMs = 0;
    let etaMs: number | null = 0;
    const perTarget: ProgressEvent['perTarget'] = {};
    for (const [p, ev] of this.latest) {
      done += ev.done;
      total += ev.total;
      elapsedMs = Math.max(elapsedMs, ev.elapsedMs);
      // The slowest place decides; one that cannot tell yet makes the whole unknown.
      etaMs = etaMs === null || ev.etaMs === null ? null : Math.max(etaMs, ev.etaMs);
      for (const [k, v] of Object.entries(ev.perTarget))
        perTarget[hostTargetId(k, placeTitle(p))] = v;
    }
    const cur = this.latest.get(this.lastPlace)?.current ?? null;
    const current = cur
      ? { ...cur, target: hostTargetId(cur.target ?? cur.platform, placeTitle(place)) }
      : null;
    return { runId: this.runId, done, total, etaMs, elapsedMs, current, perTarget };
  }
}
