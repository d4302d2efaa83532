import { defineConfig } from 'vitest/config';

/**
 * Integration tests drive real parts: QEMU guests, the Docker daemon, the benchmark binaries,
 * nginx, the built CLI, Chromium. Everything else under test/ is a unit test (logic, files,
 * loopback sockets) and must stay fast: the unit project runs first, on its own, so a broken
 * change fails in seconds; its files have a budget of seconds (scripts/test-summary.mjs).
 */
export const INTEGRATION_TESTS = [
  'test/app/bundleUpload.test.ts',
  'test/app/consoleFlowSocket.test.ts',
  'test/app/webFuzz.test.ts',
  'test/bench/binaries.test.ts',
  'test/bench/nginx.test.ts',
  'test/bench/runners.test.ts',
  'test/docker/dockerRun.test.ts',
  'test/docker/dockerSession.test.ts',
  'test/docker/imagePrune.test.ts',
  'test/engine/cli.test.ts',
  'test/engine/nativePlatform.test.ts',
  'test/engine/runnerNative.test.ts',
  'test/qemu/kvmGuest.test.ts',
  'test/qemu/kvmTrial.test.ts',
  'test/qemu/tcgGuest.test.ts',
  'test/qemu/tcgRun.test.ts',
  'test/results/browser.test.ts',
  'test/results/cli.test.ts',
  'test/unikernel/libosBoot.test.ts',
  'test/**/*.integration.test.ts',
];

export default defineConfig({
  test: {
    environment: 'node',
    pool: 'forks',
    maxWorkers: 2,
    // A test that finishes without making one expect() assertion fails: a test that only
    // calls code and checks nothing proves nothing (a skipped test is not affected).
    expect: { requireAssertions: true },
    // Builds missing benchmark binaries once, before any file (never concurrently from imports).
    globalSetup: ['test/support/globalSetup.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: INTEGRATION_TESTS,
          // One module graph per worker, not per file: most of a unit file's time was importing
          // (vega + vega-lite ~3 s, dockerode ~1.5 s on a busy 2-core machine) again in every
          // file. Unit tests mock no modules and share no global state, so isolation buys nothing
          // here; integration files keep it (each owns real processes).
          isolate: false,
          testTimeout: 30_000,
          hookTimeout: 30_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: INTEGRATION_TESTS,
          // Real guests and containers on a 2-core machine.
          testTimeout: 180_000,
          hookTimeout: 300_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
