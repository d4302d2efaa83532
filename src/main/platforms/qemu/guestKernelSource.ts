/**
 * Where a QEMU guest's kernel comes from: the user's pick (the experiment's guest.kernelPath,
 * the platform's deps, or BENCHVISOR_GUEST_KERNEL), else the host's /boot kernel, else the
 * distribution's package fetched with apt. The preflight checks a picked kernel can be read
 * (before the run folder exists); prepare looks the kernel up once per run and builds the
 * initramfs for it, each phase timed.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExperimentConfig } from '../../../shared/config';
import { errorText } from '../../../shared/result';
import { buildInitramfs, type BuiltInitramfs } from '../../qemu/initramfs';
import { findBootKernel, findGuestKernel, type GuestKernel } from '../../qemu/kernel';
import type { HostCommands } from '../../qemu/commands';
import type { AppPaths } from '../../util/appPaths';
import type { HostProbe } from '../../host/hostProbe';
import type { PrepareContext } from '../platform';

/** Environment variables for a user-picked kernel (the wizard's "pick a file"). */
export const ENV_GUEST_KERNEL = 'BENCHVISOR_GUEST_KERNEL';
export const ENV_GUEST_MODULES = 'BENCHVISOR_GUEST_MODULES';

export interface GuestKernelDeps {
  paths: AppPaths;
  env?: NodeJS.ProcessEnv;
  /** A kernel the user picked (else ENV_GUEST_KERNEL, else /boot, else apt). */
  kernelPath?: string;
  modulesDir?: string;
}

/** The user's kernel choice (both absent: the host's kernel, else apt's). */
export interface KernelChoice {
  userKernel?: string;
  userModulesDir?: string;
}

/** The guest kernel and initramfs of a target, with the time each took to find or build. */
export interface BootImages {
  kernel: GuestKernel;
  initrd: BuiltInitramfs;
  kernelLookupMs: number;
  initramfsMs: number;
}

export class GuestKernelSource {
  /** The kernel of the run being prepared (kernel()). */
  private last: { key: string; kernel: Promise<GuestKernel> } | null = null;

  constructor(
    /** The platform id, for log lines. */
    private readonly platformId: string,
    private readonly deps: GuestKernelDeps,
    private readonly commands: HostCommands,
    /** The host's running kernel: its /boot image is the default guest kernel. */
    private readonly host: Pick<HostProbe, 'kernelRelease'>,
  ) {}

  /** The user's kernel: the experiment's guest.kernelPath, else the deps, else the environment. */
  choice(config?: ExperimentConfig): KernelChoice {
    const env = this.deps.env ?? process.env;
    const userKernel = config?.guest.kernelPath ?? this.deps.kernelPath ?? env[ENV_GUEST_KERNEL];
    const userModulesDir =
      config?.guest.modulesDir ?? this.deps.modulesDir ?? env[ENV_GUEST_MODULES];
    return { ...(userKernel ? { userKernel } : {}), ...(userModulesDir ? { userModulesDir } : {}) };
  }

  /** The preflight: why the kernel the user named cannot be booted from, or null. */
  refusal(config?: ExperimentConfig): Promise<{ reason: string; fix: string } | null> {
    return unreadableUserKernel(this.choice(config).userKernel);
  }

  /** Where the guest kernel will come from, without downloading anything. */
  async note(config?: ExperimentConfig): Promise<string> {
    const choice = this.choice(config);
    if (choice.userKernel) return `user-picked ${choice.userKernel}`;
    const boot = await findBootKernel('/boot', '/lib/modules', this.host.kernelRelease());
    if (boot) return `host kernel ${boot.vmlinuz}`;
    return `the distribution kernel package, fetched with apt-get download into ${join(this.deps.paths.cacheDir, 'kernel')} on first use`;
  }

  /** The kernel and the initramfs for this guest, each phase timed (the target's preparation cost). */
  async bootImages(ctx: PrepareContext): Promise<BootImages> {
    const since = (t: number): number => Math.round(performance.now() - t);
    let started = performance.now();
    const kernel = await this.kernel(ctx);
    const kernelLookupMs = since(started);
    started = performance.now();
    const log = (m: string) => ctx.log('info', `${this.platformId}: ${m}`);
    log(
      `kernel ${kernel.vmlinuz} (${kernel.source}${kernel.modulesDir ? '' : ', no modules folder'})`,
    );
    const initrd = await buildInitramfs({ paths: this.deps.paths, kernel, log });
    const initramfsMs = since(started);
    log(
      `initramfs ${initrd.path} (${initrd.built ? 'built' : 'cached'}, ${Math.round(initrd.bytes / 1024)} KiB)`,
    );
    return { kernel, initrd, kernelLookupMs, initramfsMs };
  }

  /**
   * The guest kernel, looked up once per run and kernel choice: the targets of one experiment
   * share it (asking apt which package is current costs 1–2 s per lookup here).
   */
  private kernel(ctx: PrepareContext): Promise<GuestKernel> {
    const choice = this.choice(ctx.config);
    const key = JSON.stringify([ctx.runId, choice]);
    if (this.last?.key !== key) {
      const kernel = findGuestKernel({
        cacheDir: this.deps.paths.cacheDir,
        commands: this.commands,
        runningVersion: this.host.kernelRelease(),
        ...choice,
        log: (m) => ctx.log('info', `${this.platformId}: ${m}`),
        signal: ctx.signal,
      });
      this.last = { key, kernel };
      // A failed lookup is not kept: the next target (or run) asks again.
      kernel.catch(() => {
        if (this.last?.kernel === kernel) this.last = null;
      });
    }
    return this.last!.kernel;
  }
}

/**
 * A kernel the user named that cannot be booted from (missing, a folder, unreadable): refused
 * by the preflight, before the run folder exists, instead of QEMU failing at boot.
 */
async function unreadableUserKernel(
  path: string | undefined,
): Promise<{ reason: string; fix: string } | null> {
  if (path === undefined) return null;
  const fix =
    "set guest.kernelPath to a readable kernel image (a vmlinuz file), or leave it out to use the host's kernel";
  try {
    const st = await stat(path);
    if (!st.isFile()) return { reason: `the guest kernel ${path} is not a file`, fix };
    await access(path, constants.R_OK);
    return null;
  } catch (e) {
    return { reason: `the guest kernel ${path} cannot be read (${errorText(e)})`, fix };
  }
}
