/**
 * Finds a kernel for the guest, in this order:
 *  1. a kernel file the user picked (with an optional modules folder),
 *  2. the host's /boot kernel where it is readable (with /lib/modules/<version>),
 *  3. the distribution's kernel package, fetched with `apt-get download` into
 *     <cacheDir>/kernel/ and unpacked with `dpkg-deb -x` (no root needed),
 *  4. otherwise a clear error saying what was tried and how to fix it.
 */
import { constants } from 'node:fs';
import { access, mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppFailure } from '../../shared/result';
import type { CommandOutput, HostCommands } from './commands';

export type KernelSource = 'user' | 'host-boot' | 'apt';

export interface GuestKernel {
  /** Path of the bzImage/vmlinuz file. */
  vmlinuz: string;
  /** lib/modules/<version> folder (null when none is known: drivers must then be built in). */
  modulesDir: string | null;
  version: string;
  source: KernelSource;
}

export interface KernelLookupOptions {
  cacheDir: string;
  commands: HostCommands;
  /** A kernel the user picked (wins over everything else). */
  userKernel?: string;
  userModulesDir?: string;
  bootDir?: string;
  modulesRoot?: string;
  /** The running kernel's version (the host probe's kernelRelease()): its /boot image is preferred. */
  runningVersion: string;
  /** Meta package whose dependency names the current kernel package. */
  metaPackage?: string;
  /** Allow fetching from the distribution's package registry. */
  allowFetch?: boolean;
  log?: (message: string) => void;
  /** Cancels a download or unpack in progress (the tool is killed, nothing half-done is kept). */
  signal?: AbortSignal;
}

/** Debian's meta package that always depends on the current amd64 kernel image. */
export const DEFAULT_KERNEL_META_PACKAGE = 'linux-image-amd64';
/** apt can take a while on a slow mirror. */
const APT_TIMEOUT_MS = 10 * 60 * 1000;

async function readable(path: string): Promise<boolean> {
  try {
    await access(path, constants.R_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** Compares kernel versions like 6.1.0-56-amd64 numerically, part by part. */
export function compareKernelVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/);
  const pb = b.split(/[.-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    const nx = Number(x);
    const ny = Number(y);
    const c =
      Number.isFinite(nx) && Number.isFinite(ny) && x !== '' && y !== ''
        ? nx - ny
        : x.localeCompare(y);
    if (c !== 0) return c;
  }
  return 0;
}

/** Finds the newest readable vmlinuz-<version> in a boot folder. */
/**
 * A kernel in bootDir: the one whose version is `preferVersion` (the running kernel's, so the
 * guest runs the same kernel as the host where its image is readable), else the newest readable.
 */
export async function findBootKernel(
  bootDir: string,
  modulesRoot: string,
  preferVersion?: string,
): Promise<GuestKernel | null> {
  let names: string[];
  try {
    names = await readdir(bootDir);
  } catch {
    return null;
  }
  const versions = names
    .filter((n) => n.startsWith('vmlinuz-'))
    .map((n) => n.slice('vmlinuz-'.length))
    .sort(compareKernelVersions)
    .reverse();
  if (preferVersion && versions.includes(preferVersion))
    versions.unshift(...versions.splice(versions.indexOf(preferVersion), 1));
  for (const version of versions) {
    const vmlinuz = join(bootDir, `vmlinuz-${version}`);
    if (!(await readable(vmlinuz))) continue;
    const modulesDir = join(modulesRoot, version);
    return {
      vmlinuz,
      version,
      modulesDir: (await isDir(modulesDir)) ? modulesDir : null,
      source: 'host-boot',
    };
  }
  return null;
}

/** Extracts the versioned kernel package name from `apt-cache depends <meta>` output. */
export function parseKernelPackage(aptCacheDepends: string): string | null {
  for (const line of aptCacheDepends.split('\n')) {
    const m = /^\s*Depends:\s*(linux-image-\S+)\s*$/.exec(line);
    if (m?.[1] && !m[1].includes('<')) return m[1];
  }
  return null;
}

/** Looks for an already unpacked package under <cacheDir>/kernel/<pkg>. */
export async function findUnpackedKernel(pkgDir: string): Promise<GuestKernel | null> {
  const kernel = await findBootKernel(join(pkgDir, 'boot'), join(pkgDir, 'lib', 'modules'));
  return kernel ? { ...kernel, source: 'apt' } : null;
}

/** A tool the caller's signal ended: the whole fetch stops (its work folder is removed). */
function throwIfCancelled(out: CommandOutput, what: string): void {
  if (out.aborted) throw new AppFailure('CANCELLED', `cancelled while ${what}`);
}

/** Downloads and unpacks the distribution kernel package into the cache (no root). */
export async function fetchAptKernel(
  opts: Omit<KernelLookupOptions, 'runningVersion'>,
): Promise<GuestKernel> {
  const { commands } = opts;
  const meta = opts.metaPackage ?? DEFAULT_KERNEL_META_PACKAGE;
  const signal = opts.signal;
  const deps = await commands.run('apt-cache', ['depends', meta], {
    timeoutMs: APT_TIMEOUT_MS,
    signal,
  });
  throwIfCancelled(deps, 'asking apt for the kernel package');
  if (deps.spawnError || deps.code !== 0) {
    throw new AppFailure(
      'TOOL_MISSING',
      `cannot ask apt which kernel package is current (apt-cache depends ${meta}): ${deps.spawnError ?? deps.stderr.trim()}`,
    );
  }
  const pkg = parseKernelPackage(deps.stdout);
  if (!pkg)
    throw new AppFailure('UNAVAILABLE', `apt-cache depends ${meta} names no linux-image package`);
  const kernelRoot = join(opts.cacheDir, 'kernel');
  const pkgDir = join(kernelRoot, pkg);
  const cached = await findUnpackedKernel(pkgDir);
  if (cached) return cached;

  await mkdir(kernelRoot, { recursive: true });
  const work = await mkdtemp(join(kernelRoot, '.fetch-'));
  try {
    opts.log?.(`downloading ${pkg} with apt-get download`);
    const dl = await commands.run('apt-get', ['download', pkg], {
      cwd: work,
      timeoutMs: APT_TIMEOUT_MS,
      signal,
    });
    throwIfCancelled(dl, `downloading ${pkg}`);
    const debs = (await readdir(work)).filter((n) => n.endsWith('.deb'));
    const deb = debs[0];
    if (dl.spawnError || dl.code !== 0 || !deb) {
      throw new AppFailure(
        'UNAVAILABLE',
        `apt-get download ${pkg} failed: ${dl.spawnError ?? dl.stderr.trim()}`,
      );
    }
    const unpackDir = join(work, 'root');
    opts.log?.(`unpacking ${deb} with dpkg-deb -x`);
    const x = await commands.run('dpkg-deb', ['-x', join(work, deb), unpackDir], {
      timeoutMs: APT_TIMEOUT_MS,
      signal,
    });
    throwIfCancelled(x, `unpacking ${deb}`);
    if (x.spawnError || x.code !== 0) {
      throw new AppFailure(
        'IO_ERROR',
        `dpkg-deb -x ${deb} failed: ${x.spawnError ?? x.stderr.trim()}`,
      );
    }
    // Another process may have finished the same fetch meanwhile: keep theirs (it may be in use).
    try {
      await rename(unpackDir, pkgDir);
    } catch (e) {
      if (!(await findUnpackedKernel(pkgDir))) {
        throw new AppFailure(
          'IO_ERROR',
          `cannot move the unpacked kernel into ${pkgDir}: ${(e as Error).message}`,
        );
      }
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const kernel = await findUnpackedKernel(pkgDir);
  if (!kernel) throw new AppFailure('IO_ERROR', `package ${pkg} holds no boot/vmlinuz-* file`);
  return kernel;
}

/** Runs the lookup order described at the top of this file. */
export async function findGuestKernel(opts: KernelLookupOptions): Promise<GuestKernel> {
  const tried: string[] = [];
  if (opts.userKernel) {
    if (!(await readable(opts.userKernel))) {
      throw new AppFailure(
        'NOT_FOUND',
        `the chosen guest kernel ${opts.userKernel} does not exist or is not readable`,
      );
    }
    const modulesDir =
      opts.userModulesDir && (await isDir(opts.userModulesDir)) ? opts.userModulesDir : null;
    return { vmlinuz: opts.userKernel, modulesDir, version: 'user', source: 'user' };
  }
  const bootDir = opts.bootDir ?? '/boot';
  const host = await findBootKernel(
    bootDir,
    opts.modulesRoot ?? '/lib/modules',
    opts.runningVersion,
  );
  if (host) return host;
  tried.push(`no readable vmlinuz-* in ${bootDir}`);
  if (opts.allowFetch !== false) {
    try {
      return await fetchAptKernel(opts);
    } catch (e) {
      if (e instanceof AppFailure && e.code === 'CANCELLED') throw e;
      tried.push(e instanceof Error ? e.message : String(e));
    }
  } else {
    tried.push('fetching the distribution kernel is switched off');
  }
  throw new AppFailure(
    'UNAVAILABLE',
    `no kernel for the QEMU guest: ${tried.join('; ')}. Fix: install a kernel package (apt install linux-image-amd64), ` +
      'make /boot/vmlinuz-* readable, or pick a kernel file in the wizard.',
  );
}
