/**
 * Issue #9 item 9: `npm start` states the true reason the desktop window cannot open (binary
 * missing → the command that fetches it; no display), not "its download is not possible here"
 * on every machine; and setup's explicit Electron download says so once and never fails setup.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  FETCH_ELECTRON_COMMAND,
  electronLaunchPlan,
  fetchOutcomeMessage,
} from '../../scripts/electronStatus.mjs';
import { ROOT } from './helpers';

const DESKTOP = { DISPLAY: ':0' };
const PRESENT = { path: '/x/electron', exists: true };

describe('npm start: can the desktop window open?', () => {
  it('launches where the binary exists and there is a display', () => {
    expect(electronLaunchPlan({ binary: PRESENT, env: DESKTOP, platform: 'linux' })).toEqual({
      launch: true,
      bin: '/x/electron',
    });
    expect(
      electronLaunchPlan({
        binary: PRESENT,
        env: { WAYLAND_DISPLAY: 'wayland-0' },
        platform: 'linux',
      }).launch,
    ).toBe(true);
    // macOS and Windows need no DISPLAY variable.
    expect(electronLaunchPlan({ binary: PRESENT, env: {}, platform: 'darwin' }).launch).toBe(true);
  });

  it('a binary never downloaded: says so and gives the command that fetches it', () => {
    for (const binary of [
      { error: 'Electron failed to install correctly' },
      { path: '/x/electron', exists: false },
    ]) {
      const plan = electronLaunchPlan({ binary, env: DESKTOP, platform: 'linux' });
      expect(plan.launch).toBe(false);
      if (plan.launch) continue;
      expect(plan.reasons).toEqual([expect.stringMatching(/Electron binary is not downloaded/)]);
      expect(plan.fixes.join('\n')).toContain(FETCH_ELECTRON_COMMAND);
      expect(plan.fixes.join('\n')).toContain('ELECTRON_MIRROR');
      expect(plan.reasons.join(' ')).not.toMatch(/not possible here/);
    }
  });

  it('no display: says that, not that the download is impossible', () => {
    const plan = electronLaunchPlan({ binary: PRESENT, env: {}, platform: 'linux' });
    expect(plan).toMatchObject({
      launch: false,
      reasons: [expect.stringMatching(/no graphical display/)],
    });
    if (!plan.launch) expect(plan.fixes.join(' ')).not.toContain(FETCH_ELECTRON_COMMAND);
  });

  it('both missing: both reasons', () => {
    const plan = electronLaunchPlan({ binary: { error: 'x' }, env: {}, platform: 'linux' });
    expect(plan.launch).toBe(false);
    if (!plan.launch) expect(plan.reasons).toHaveLength(2);
  });
});

describe('setup: explicit Electron download', () => {
  it('one message on failure or success, naming the retry command and the mirror', () => {
    const failed = fetchOutcomeMessage({ ok: false, detail: 'ECONNREFUSED', mirror: 'http://m/' });
    expect(failed).toMatch(/could not be downloaded from http:\/\/m\/: ECONNREFUSED/);
    expect(failed).toContain(FETCH_ELECTRON_COMMAND);
    expect(failed).toMatch(/web mode/);
    expect(fetchOutcomeMessage({ ok: true })).toMatch(/binary present/);
  });

  it('an unreachable mirror: fetch-electron.mjs says so once and exits 0', async () => {
    // A loopback port that refuses connections: nothing leaves the machine.
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const cache = mkdtempSync(join(tmpdir(), 'benchvisor-electron-cache-'));
    try {
      const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'fetch-electron.mjs')], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 120_000,
        env: {
          ...process.env,
          ELECTRON_MIRROR: `http://127.0.0.1:${port}/`,
          electron_config_cache: cache,
          ELECTRON_OVERRIDE_DIST_PATH: join(cache, 'no-dist'),
        },
      });
      expect(r.status).toBe(0);
      const lines = (r.stdout + r.stderr).trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^Electron: its binary could not be downloaded from http:\/\/127/);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });
});
