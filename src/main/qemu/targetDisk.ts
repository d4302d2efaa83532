/**
 * A VM-like target's own places on the host: the benchmark disk, made with
 * qemu-img in the run's scratch area `<run>/scratch/<target>/` (the same host
 * filesystem as every other platform's disk target, never the system temp folder,
 * which may be tmpfs; one folder per target, so variants that share a disk format
 * never share an image), and a short private work folder for QEMU's sockets and
 * logs (unix socket paths are limited to ~100 bytes). describe() shows the very
 * command prepare runs. Shared by the qemu and unikernel platforms.
 */
import type { SampleMetaFields } from '../../shared/sampleMeta/registry';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExperimentConfig } from '../../shared/config';
import { diskHostMeta } from '../host/hostFilesystem';
import type { HostProbe } from '../host/hostProbe';
import { createDiskImage, qemuImgCreateArgs, type DiskSpec } from './disk';
import type { QemuTools } from './qemuTools';
import { scratchDirOf } from '../util/targetScratch';
import { sweepDeadPidDirs } from '../process/pidDirs';

type Guest = ExperimentConfig['guest'];

/** The benchmark disk of a guest shape: prepare() creates it, describe() shows the same spec. */
export function diskSpecOf(g: Guest, path: string): DiskSpec {
  return { path, format: g.diskFormat, sizeMiB: g.diskSizeMiB, preallocation: g.preallocation };
}

/**
 * Where describe() says the disk goes (the run folder does not exist yet): the target's
 * scratch folder, as prepare makes it (the platform id when nothing varies).
 */
export function describedDiskPath(g: Guest, targetId: string): string {
  return join('<run folder>', 'scratch', targetId, `disk.${g.diskFormat}`);
}

/** The review step's "Benchmark disk" line: the qemu-img command prepare runs, or why it cannot. */
export function describeDisk(
  qemuImg: string,
  g: Guest,
  targetId: string,
): { title: string; argv: string[] } {
  try {
    return {
      title: 'Benchmark disk',
      argv: [qemuImg, ...qemuImgCreateArgs(diskSpecOf(g, describedDiskPath(g, targetId)))],
    };
  } catch (e) {
    return { title: `Benchmark disk: ${e instanceof Error ? e.message : String(e)}`, argv: [] };
  }
}

/** The benchmark disk's shape as every sample of a VM-like target records it. */
export function diskShapeMeta(g: Guest): SampleMetaFields {
  return {
    diskFormat: g.diskFormat,
    diskSizeMiB: g.diskSizeMiB,
    cacheMode: g.cacheMode,
    preallocation: g.preallocation,
  };
}

export interface TargetDisk {
  /** Short private folder for sockets and logs. */
  workDir: string;
  /** `<run>/scratch/<target>/`: the disk's folder. */
  diskDir: string;
  diskPath: string;
  /** Host ms qemu-img took to create the disk (the target's disk-creation cost). */
  createMs: number;
  /** Where the disk lives on the host (path, filesystem, in RAM or not): every sample's meta. */
  hostMeta: SampleMetaFields;
}

export interface TargetDiskOptions {
  tools: QemuTools;
  /** The platform's prepare context: run folder, target id, shape, cancel. */
  prepare: {
    runDir: string;
    target: string;
    scratchDir?: string;
    config: { guest: Guest };
    signal: AbortSignal;
  };
  /** Parent of the work folder (default os.tmpdir(); keep it short). */
  scratchDir?: string | undefined;
  /** Prefix of the work folder's name ("bvq-"). */
  workPrefix: string;
  /** The engine's host probe: the filesystem the disk lives on. */
  host: Pick<HostProbe, 'filesystemOf'>;
}

/** Removes both folders (dispose, or a preparation that failed after they were made). */
export async function removeTargetDisk(d: Pick<TargetDisk, 'workDir' | 'diskDir'>): Promise<void> {
  await rm(d.workDir, { recursive: true, force: true });
  await rm(d.diskDir, { recursive: true, force: true });
}

/**
 * Makes the target's folders and disk, then hands them to `use` (which boots or builds the
 * session); if anything fails, both folders are removed before the error goes up.
 */
export async function withTargetDisk<T>(
  o: TargetDiskOptions,
  use: (disk: TargetDisk) => Promise<T>,
): Promise<T> {
  const { config, signal } = o.prepare;
  // the engine's pid in the name: a killed engine's folder is recognised and swept later
  const workDir = await mkdtemp(join(o.scratchDir ?? tmpdir(), `${o.workPrefix}${process.pid}-`));
  const diskDir = scratchDirOf(o.prepare);
  try {
    await mkdir(diskDir, { recursive: true });
    const diskPath = join(diskDir, `disk.${config.guest.diskFormat}`);
    const started = performance.now();
    await createDiskImage(
      o.tools.commands,
      diskSpecOf(config.guest, diskPath),
      o.tools.qemuImg,
      signal,
    );
    const createMs = Math.round(performance.now() - started);
    const hostMeta = diskHostMeta(diskPath, await o.host.filesystemOf(diskPath));
    return await use({ workDir, diskDir, diskPath, createMs, hostMeta });
  } catch (e) {
    await removeTargetDisk({ workDir, diskDir });
    throw e;
  }
}

/**
 * Removes the work folders (sockets) that engines killed with SIGKILL left behind: the folders
 * named `<prefix><pid>-…` under `parent` whose pid is no longer alive (process/pidDirs.ts).
 */
export const sweepDeadWorkDirs = (parent: string | undefined, prefix: string): Promise<string[]> =>
  sweepDeadPidDirs(parent, prefix);

/** sweepDeadWorkDirs as a VM-like platform's sweepOrphans() reports it: one line per folder. */
export async function sweepOrphanWorkDirs(
  parent: string | undefined,
  prefix: string,
): Promise<{ containers: string[]; volumes: string[]; processes: string[] }> {
  const folders = await sweepDeadWorkDirs(parent, prefix);
  return { containers: [], volumes: [], processes: folders.map((f) => `folder ${f}`) };
}
