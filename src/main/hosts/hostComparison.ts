/**
 * One experiment on several hosts opened as one comparison: a local run folder whose samples are
 * the hosts' runs side by side, each target renamed `<target>.on-<host>` and labelled
 * "<host> · <label>" (shared/targets.ts hostTargetId), so the results view, `show`, the charts
 * and the findings read the host as one more dimension. environment.json keeps every host's
 * facts under `byHost` (read by the host-differences finding); experiment.json names the runs
 * it was made from. The hosts' own runs stay in the history unchanged.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostTargetId, targetOf } from '../../shared/targets';
import { summarize } from '../../shared/stats/summary';
import type { Sample } from '../../shared/sample';
import { RUN_FILES, RUN_FORMAT_VERSION } from '../store/runFiles';
import { newRunId } from '../store/runId';
import { readRunJson, readSamples } from '../store/runReader';

export interface HostRunRef {
  host: string;
  /** The local copy of that host's run. */
  dir: string;
}

type Json = Record<string, unknown>;

/** A sample as measured on `host`, in the run `runId` (its target renamed and labelled). */
export function sampleOnHost(s: Sample, host: string, runId: string): Sample {
  const target = hostTargetId(targetOf(s), host);
  const label = typeof s.meta.targetLabel === 'string' ? s.meta.targetLabel : s.platform;
  return {
    ...s,
    runId,
    target,
    meta: { ...s.meta, target, targetLabel: `${host} · ${label}`, host },
  };
}

function readObject(dir: string, name: string): Json {
  try {
    const v = readRunJson(join(dir, name), name);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
  } catch {
    return {};
  }
}

/** Writes the comparison run into `runsDir`; returns its id and folder. */
export function combineHostRuns(
  runsDir: string,
  runs: readonly HostRunRef[],
): { runId: string; dir: string } {
  const runId = newRunId();
  const experiments = runs.map((r) => readObject(r.dir, RUN_FILES.experiment));
  const environments = runs.map((r) => readObject(r.dir, RUN_FILES.environment));
  const samples = runs.flatMap((r) =>
    readSamples(r.dir).map((s) => sampleOnHost(s, r.host, runId)),
  );
  const first = experiments[0] ?? {};
  const times = (k: string) =>
    experiments
      .map((e) => e[k])
      .filter((t): t is string => typeof t === 'string')
      .sort();
  const statuses = experiments.map((e) => e.status);
  const hostNames = runs.map((r) => r.host);
  const experiment = {
    runId,
    name: `${String(first.name ?? 'experiment')} · by host (${hostNames.join(', ')})`,
    startedAt: times('startedAt')[0] ?? new Date().toISOString(),
    finishedAt: times('finishedAt').pop() ?? new Date().toISOString(),
    status: statuses.every((s) => s === 'completed') ? 'completed' : 'failed',
    config: first.config,
    hosts: experiments.map((e) => e.host).filter((h) => h !== undefined),
    comparesRuns: runs.map((r, i) => ({ host: r.host, runId: experiments[i]?.runId })),
    formatVersion: RUN_FORMAT_VERSION,
  };
  const environment = {
    ...(environments[0] ?? {}),
    byHost: Object.fromEntries(runs.map((r, i) => [r.host, environments[i] ?? {}])),
  };
  const staging = join(runsDir, `.combine-${runId}`);
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, RUN_FILES.experiment), JSON.stringify(experiment, null, 2) + '\n');
  writeFileSync(join(staging, RUN_FILES.environment), JSON.stringify(environment, null, 2) + '\n');
  writeFileSync(
    join(staging, RUN_FILES.samples),
    samples.map((s) => JSON.stringify(s)).join('\n') + '\n',
  );
  writeFileSync(
    join(staging, RUN_FILES.summary),
    JSON.stringify(summarize(samples), null, 2) + '\n',
  );
  const dir = join(runsDir, runId);
  renameSync(staging, dir);
  return { runId, dir };
}
