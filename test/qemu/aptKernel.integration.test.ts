/**
 * The real `apt-get download` + `dpkg-deb -x` kernel fetch (the fallback when /boot is not
 * readable). It needs the distribution's package mirror, which test runners here cannot reach
 * (loopback only), so it runs where the runner says it may use the network:
 * BENCHVISOR_NETWORK_TESTS=1 (then a failure to download fails the test); elsewhere it is
 * skipped with that reason. The logic around the tools is covered with a fake apt in
 * kernel.test.ts.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExecFileCommands } from '../../src/main/qemu/commands';
import { fetchAptKernel } from '../../src/main/qemu/kernel';
import { ProcessTracker } from '../../src/main/process/tracker';
import { skipBecause } from '../support/skip';

const NETWORK = process.env.BENCHVISOR_NETWORK_TESTS === '1';

describe('guest kernel from the distribution (real apt-get download)', () => {
  it(
    'downloads and unpacks the kernel package into the cache, then reuses it',
    { timeout: 600_000 },
    async (ctx) => {
      if (!NETWORK)
        skipBecause(
          ctx,
          'needs the package mirror: set BENCHVISOR_NETWORK_TESTS=1 where the runner may use the network',
        );
      const cacheDir = mkdtempSync(join(tmpdir(), 'bv-apt-kernel-'));
      const tracker = new ProcessTracker();
      try {
        const commands = new ExecFileCommands(tracker);
        const k = await fetchAptKernel({ cacheDir, commands });
        expect(k.source).toBe('apt');
        expect(k.vmlinuz.startsWith(join(cacheDir, 'kernel'))).toBe(true);
        // A real kernel image, and the modules the initramfs needs beside it.
        expect(statSync(k.vmlinuz).size).toBeGreaterThan(1024 * 1024);
        expect(k.modulesDir).not.toBeNull();
        expect(existsSync(join(k.modulesDir!, 'kernel', 'drivers'))).toBe(true);
        const again = await fetchAptKernel({ cacheDir, commands });
        expect(again.vmlinuz).toBe(k.vmlinuz);
        expect(tracker.size).toBe(0);
      } finally {
        rmSync(cacheDir, { recursive: true, force: true });
      }
    },
  );
});
