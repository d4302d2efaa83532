/**
 * Finds native processes a killed run left behind. Benchmarks run in a pty and
 * die with its hang-up, but a service need not (a server may treat SIGHUP as
 * "reload"), so a service started for a run whose engine process is gone keeps
 * running. Such a process is recognised by an argument inside a run folder's
 * native scratch area and the run's experiment.json naming a process that no
 * longer exists.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcReader } from '../../host/procReader';
import { pidAlive } from '../../process/pidAlive';
import { sweepDeadPidDirs } from '../../process/pidDirs';
import { HOST_SERVICE_DIR_PREFIX } from './hostService';

/**
 * Scratch path of a native target inside a run folder (service prefixes live below it): the
 * target id is `native`, or `native.<token>` for its A/A control twin.
 */
const SCRATCH_MARK = /\/scratch\/native(?:\.[a-z0-9.-]+)?\//;
/** Time a service gets to stop its workers after SIGTERM before everything is SIGKILLed. */
const TERM_GRACE_MS = 2000;

interface ProcInfo {
  pid: number;
  ppid: number;
  cmdline: string;
}

/** The processes now with their command lines, read through the host's /proc reader. */
export function readProcs(proc: Pick<ProcReader, 'processes' | 'cmdline'>): ProcInfo[] {
  return proc.processes().map((p) => ({
    pid: p.pid,
    ppid: p.ppid,
    cmdline: proc.cmdline(p.pid).join(' ').trim(),
  }));
}

/** The run folder a process belongs to, from an argument inside its native scratch folder. */
export function runDirOfProcess(cmdline: string): string | null {
  const i = cmdline.search(SCRATCH_MARK);
  if (i < 0) return null;
  const start = cmdline.lastIndexOf(' ', i) + 1;
  return cmdline.slice(start, i);
}

/**
 * The engine pid of a host service (the server a load client's ceiling is measured against)
 * from its prefix in the temp folder (`benchvisor-ceiling-<pid>-XXXXXX`), or null when the
 * process is not one.
 */
export function hostServiceOwner(cmdline: string): { pid: number; dir: string } | null {
  const m = new RegExp(`(\\S*/${HOST_SERVICE_DIR_PREFIX}([0-9]+)-[A-Za-z0-9]+)`).exec(cmdline);
  return m ? { pid: Number(m[2]), dir: m[1]! } : null;
}

/** Is this process a leftover: a run's service whose run ended, or a dead engine's host service? */
function isOrphan(p: ProcInfo): boolean {
  if (p.pid === process.pid) return false;
  const owner = hostServiceOwner(p.cmdline);
  if (owner) return owner.pid !== process.pid && !pidAlive(owner.pid);
  const runDir = runDirOfProcess(p.cmdline);
  return runDir !== null && !runAlive(runDir);
}

/** Removes the temp prefixes of host services whose engine is gone (after their processes). */
/** The host service's work folders whose engine is dead (process/pidDirs.ts). */
const removeDeadHostServiceDirs = (): Promise<string[]> =>
  sweepDeadPidDirs(undefined, HOST_SERVICE_DIR_PREFIX);

/** Is the run that started this process still going (its engine process alive)? */
function runAlive(runDir: string): boolean {
  try {
    const exp = JSON.parse(readFileSync(join(runDir, 'experiment.json'), 'utf8')) as {
      pid?: unknown;
      status?: unknown;
    };
    if (exp.status !== 'running') return false;
    return typeof exp.pid === 'number' && pidAlive(exp.pid);
  } catch {
    // No readable experiment.json: an orphan only when the whole folder is gone
    // (a folder without one belongs to someone we cannot judge, e.g. a test).
    return existsSync(runDir);
  }
}

/**
 * Stops orphaned native service processes and their children; returns what was stopped.
 * `proc` is the host probe's /proc reader.
 */
export async function sweepNativeOrphans(
  proc: Pick<ProcReader, 'processes' | 'cmdline'>,
): Promise<string[]> {
  const procs = readProcs(proc);
  const victims: ProcInfo[] = [];
  const seen = new Set<number>();
  for (const p of procs) {
    if (!isOrphan(p)) continue;
    for (const v of [p, ...procs.filter((c) => c.ppid === p.pid)]) {
      if (seen.has(v.pid)) continue;
      seen.add(v.pid);
      victims.push(v);
    }
  }
  if (victims.length === 0) {
    await removeDeadHostServiceDirs();
    return [];
  }
  for (const v of victims) {
    try {
      process.kill(v.pid, 'SIGTERM');
    } catch {
      /* gone */
    }
  }
  await new Promise((r) => setTimeout(r, TERM_GRACE_MS));
  for (const v of victims) {
    try {
      process.kill(v.pid, 'SIGKILL');
    } catch {
      /* stopped by SIGTERM */
    }
  }
  await removeDeadHostServiceDirs();
  return victims.map((v) => `pid ${v.pid} (${v.cmdline.slice(0, 120)})`);
}
