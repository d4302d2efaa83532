/**
 * A native + QEMU TCG run on a host through a real sshd, driven in-process like the app drives
 * it (RemoteRun): the guest's serial console streams home, typing reaches the guest's shell at
 * the host, cancel reaches the host, and the cancelled run is copied home with the host recorded;
 * no QEMU, engine or ssh is left on either side.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseExperimentConfig } from '../../src/shared/config';
import { RemoteRun } from '../../src/main/hosts/remoteRun';
import { ProcessTracker } from '../../src/main/process/tracker';
import { builtCli } from '../support/builtApp';
import { remoteCommandFor, startSshd, type TestSshd } from '../support/sshd';
import { processesMatching, tempDir } from '../engine/helpers';

const tmp = tempDir('remote-console');
const clientDir = join(tmp.dir, 'client');
const localRuns = join(tmp.dir, 'local', 'runs');
const localExports = join(tmp.dir, 'local', 'exports');
let sshd: TestSshd;

beforeAll(async () => {
  sshd = await startSshd('lab1', join(tmp.dir, 'lab1'), clientDir);
});

afterAll(async () => {
  await sshd?.stop();
  tmp.cleanup();
});

it('streams a TCG guest console from the host, types into it and cancels there', async () => {
  const parsed = parseExperimentConfig({
    name: 'remote tcg console',
    platforms: ['native', 'qemu-tcg'],
    profile: 'quick',
    benchmarks: [{ id: 'linpack', params: { seconds: 20 } }],
    repetitions: { count: 1, warmup: 0 },
  });
  expect(parsed.ok).toBe(true);
  const consoles = new Map<string, string>();
  const notices: string[] = [];
  const tracker = new ProcessTracker();
  const host = {
    name: 'lab1',
    destination: 'lab1',
    command: remoteCommandFor(builtCli(), sshd.remoteData),
  };
  const started = await RemoteRun.start(host, parsed.ok ? parsed.config : null, {
    env: { ...process.env, BENCHVISOR_SSH_CONFIG: join(clientDir, 'config') },
    tracker,
    version: 'test',
    runsDir: localRuns,
    exportsDir: localExports,
    observer: {
      progress: () => undefined,
      sample: () => undefined,
      log: () => undefined,
      console: (platform, data) => consoles.set(platform, (consoles.get(platform) ?? '') + data),
      notice: (m) => notices.push(m),
    },
  });
  expect(started.ok).toBe(true);
  if (!started.ok) return;
  const run = started.run;
  const tcg = () => consoles.get('qemu-tcg') ?? '';
  // Interleaved rounds: the guest is paused while native measures, so type while the guest's
  // own linpack runs (its progress on the serial console says so).
  await expect.poll(tcg, { timeout: 240_000, interval: 1000 }).toMatch(/linpack:/);
  expect(await run.write('qemu-tcg', 'echo bv-$((6*7))\r')).toBe(true);
  await expect.poll(tcg, { timeout: 60_000 }).toMatch(/bv-42/);
  run.cancel();
  const outcome = await run.finished;
  expect(outcome.status).toBe('cancelled');
  expect(outcome.local).not.toBeNull();
  const exp = JSON.parse(readFileSync(join(outcome.local!.dir, 'experiment.json'), 'utf8'));
  expect(exp.host.name).toBe('lab1');
  expect(exp.status).toBe('cancelled');
  expect(readdirSync(join(outcome.local!.dir, 'consoles'))).toContain('qemu-tcg.log');
  expect(notices).toEqual([]);
  await expect
    .poll(() => existsSync(join(sshd.remoteData, 'agent', 'engine.pid')), { timeout: 30_000 })
    .toBe(false);
  expect(processesMatching(join(sshd.remoteData, 'runs'))).toEqual([]);
  expect(tracker.size).toBe(0);
  expect(readdirSync(localExports)).toEqual([]);
});
