/** Helpers for the real unikernel boots: a fresh build of the images and one-call boots. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProcessTracker } from '../../src/main/process/tracker';
import {
  bootUnikernel,
  type UnikernelBootOptions,
  type UnikernelBootResult,
} from '../../src/main/platforms/unikernel/unikernelBoot';

export const ROOT = join(import.meta.dirname, '..', '..');

/** Builds every image from the current sources into a private folder (a few seconds). */
export function buildImages(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'bv-uk-img-'));
  execFileSync('bash', [join(ROOT, 'resources', 'unikernel', 'build.sh'), dir], {
    cwd: ROOT,
    stdio: 'pipe',
  });
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface BootHarness {
  workDir: string;
  tracker: ProcessTracker;
  boot(
    image: string,
    args: string[],
    extra?: Partial<UnikernelBootOptions['spec']> &
      Pick<Partial<UnikernelBootOptions>, 'timeoutMs' | 'onConsole' | 'signal'>,
  ): Promise<UnikernelBootResult>;
  cleanup(): void;
}

export function bootHarness(imageDir: string): BootHarness {
  const workDir = mkdtempSync(join(tmpdir(), 'bv-uk-'));
  const tracker = new ProcessTracker();
  return {
    workDir,
    tracker,
    boot: (image, args, extra = {}) => {
      const { timeoutMs, onConsole, signal, ...spec } = extra;
      return bootUnikernel({
        qemuBinary: 'qemu-system-x86_64',
        spec: {
          accel: 'tcg',
          memoryMiB: 256,
          image: join(imageDir, `${image}.img`),
          args,
          name: `bv-test-${image}`,
          ...spec,
        },
        workDir,
        tracker,
        label: `unikernel ${image}`,
        timeoutMs: timeoutMs ?? 120_000,
        onConsole,
        signal,
      });
    },
    cleanup: () => rmSync(workDir, { recursive: true, force: true }),
  };
}
