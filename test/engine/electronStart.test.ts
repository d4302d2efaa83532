/**
 * `npm start`'s launch plan (issues #9, #25): each condition that keeps the desktop window from
 * opening (no binary, running as root, no display, Chromium's sandbox unusable: user namespaces
 * restricted and the setuid helper not root-owned 4755) gives web mode, the reason with the
 * exact fix and its own exit code; the sandbox is never turned off. Signals are forwarded once.
 * Setup's explicit Electron download says so once and never fails setup.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  FETCH_ELECTRON_COMMAND,
  LAUNCH_EXIT,
  electronLaunchPlan,
  fetchOutcomeMessage,
  helperConfigured,
} from '../../scripts/electronStatus.mjs';
import { forwardOnce } from '../../scripts/signalOnce.mjs';
import { ROOT } from './helpers';

const DESKTOP = { DISPLAY: ':0' };
const PRESENT = { path: '/x/electron', exists: true };
const USER = 1000;
const HELPER_OK = { path: '/x/chrome-sandbox', exists: true, uid: 0, mode: 0o4755 };
/** As npm installs it: owned by the user, mode 0755 (no setuid bit). */
const HELPER_AS_INSTALLED = { path: '/x/chrome-sandbox', exists: true, uid: USER, mode: 0o755 };
const USERNS_OPEN = { restricted: false };
const USERNS_APPARMOR = { restricted: true, by: 'apparmor' as const };
/** A desktop session of an ordinary user on a machine where the sandbox works. */
const GOOD = {
  binary: PRESENT,
  env: DESKTOP,
  platform: 'linux',
  uid: USER,
  helper: HELPER_AS_INSTALLED,
  userns: USERNS_OPEN,
};

describe('npm start: the launch plan', () => {
  it('launches (sandbox on) where the binary exists, there is a display and a sandbox works', () => {
    expect(electronLaunchPlan(GOOD)).toMatchObject({
      action: 'launch',
      bin: '/x/electron',
      exitCode: 0,
      message: expect.stringMatching(/sandbox on/),
    });
    expect(electronLaunchPlan({ ...GOOD, env: { WAYLAND_DISPLAY: 'wayland-0' } }).action).toBe(
      'launch',
    );
    // Restricted user namespaces are fine when the setuid helper is configured (root, 4755).
    expect(electronLaunchPlan({ ...GOOD, userns: USERNS_APPARMOR, helper: HELPER_OK }).action).toBe(
      'launch',
    );
    // macOS and Windows need no DISPLAY variable (and have no chrome-sandbox helper).
    expect(electronLaunchPlan({ binary: PRESENT, env: {}, platform: 'darwin' }).action).toBe(
      'launch',
    );
  });

  it('helper not setuid root + user namespaces restricted: web mode, the chown/chmod and the AppArmor profile', () => {
    const plan = electronLaunchPlan({ ...GOOD, userns: USERNS_APPARMOR });
    expect(plan.action).toBe('web-mode');
    expect(plan.exitCode).toBe(LAUNCH_EXIT.sandbox);
    if (plan.action !== 'web-mode') return;
    expect(plan.reasons).toEqual([
      expect.stringMatching(
        /user namespaces are restricted \(kernel\.apparmor_restrict_unprivileged_userns=1\).*\/x\/chrome-sandbox is owned by uid 1000 with mode 0755/,
      ),
    ]);
    expect(plan.message).toContain(
      'sudo chown root:root /x/chrome-sandbox && sudo chmod 4755 /x/chrome-sandbox',
    );
    expect(plan.message).toContain('profile benchvisor-electron "/x/electron"');
    expect(plan.message).toContain('userns,');
    expect(plan.message).toContain('sudo apparmor_parser -r /etc/apparmor.d/benchvisor-electron');
    // Never the silent way out.
    expect(plan.message).not.toContain('--no-sandbox');
    // Debian's knob: the sysctl instead of the AppArmor profile.
    const debian = electronLaunchPlan({
      ...GOOD,
      userns: { restricted: true, by: 'userns_clone' },
      helper: { ...HELPER_OK, uid: USER },
    });
    expect(debian.message).toContain('sudo sysctl -w kernel.unprivileged_userns_clone=1');
    expect(debian.message).toContain('sudo chmod 4755 /x/chrome-sandbox');
    // A setuid bit on a helper that root does not own is not enough either.
    expect(
      electronLaunchPlan({ ...GOOD, userns: USERNS_APPARMOR, helper: { ...HELPER_OK, uid: USER } })
        .exitCode,
    ).toBe(LAUNCH_EXIT.sandbox);
  });

  it('running as root: web mode, says to start as the user, never --no-sandbox', () => {
    const plan = electronLaunchPlan({ ...GOOD, uid: 0 });
    expect(plan).toMatchObject({
      action: 'web-mode',
      exitCode: LAUNCH_EXIT.root,
      reasons: [expect.stringMatching(/runs as root.*never turns the sandbox off/)],
    });
    expect(plan.message).toMatch(/as your own user/);
    expect(plan.message).not.toContain('--no-sandbox');
  });

  it('no display: web mode with exit code noDisplay, not a download hint', () => {
    const plan = electronLaunchPlan({ ...GOOD, env: {} });
    expect(plan).toMatchObject({
      action: 'web-mode',
      exitCode: LAUNCH_EXIT.noDisplay,
      reasons: [expect.stringMatching(/no graphical display/)],
    });
    expect(plan.message).not.toContain(FETCH_ELECTRON_COMMAND);
  });

  it('no binary: web mode, the command that fetches it, exit code noBinary', () => {
    for (const binary of [
      { error: 'Electron failed to install correctly' },
      { path: '/x/electron', exists: false },
    ]) {
      const plan = electronLaunchPlan({ ...GOOD, binary });
      expect(plan.action).toBe('web-mode');
      expect(plan.exitCode).toBe(LAUNCH_EXIT.noBinary);
      if (plan.action !== 'web-mode') continue;
      expect(plan.reasons).toEqual([expect.stringMatching(/Electron binary is not downloaded/)]);
      expect(plan.fixes.join('\n')).toContain(FETCH_ELECTRON_COMMAND);
      expect(plan.fixes.join('\n')).toContain('ELECTRON_MIRROR');
    }
  });

  it('several conditions: every reason, the exit code of the first', () => {
    const plan = electronLaunchPlan({ ...GOOD, binary: { error: 'x' }, env: {}, uid: 0 });
    expect(plan.action).toBe('web-mode');
    expect(plan.exitCode).toBe(LAUNCH_EXIT.noBinary);
    if (plan.action === 'web-mode') expect(plan.reasons).toHaveLength(3);
    expect(new Set(Object.values(LAUNCH_EXIT)).size).toBe(Object.keys(LAUNCH_EXIT).length);
  });

  it('the helper as Chromium wants it: owner root, mode 4755', () => {
    expect(helperConfigured(HELPER_OK)).toBe(true);
    expect(helperConfigured(HELPER_AS_INSTALLED)).toBe(false);
    expect(helperConfigured({ ...HELPER_OK, mode: 0o4775 })).toBe(false);
    expect(helperConfigured({ path: '/x/chrome-sandbox', exists: false })).toBe(false);
    expect(helperConfigured(undefined)).toBe(false);
  });
});

describe('npm start: a signal reaches the app once', () => {
  it('copies within the bound are dropped; one after it is forwarded (the app then forces)', () => {
    let t = 0;
    const sent: string[] = [];
    const forward = forwardOnce({ kill: (s) => sent.push(s), now: () => t, boundMs: 1000 });
    expect(forward('SIGINT')).toBe(true);
    t = 5;
    expect(forward('SIGINT')).toBe(false);
    expect(forward('SIGTERM')).toBe(false);
    t = 999;
    expect(forward('SIGINT')).toBe(false);
    t = 1000;
    expect(forward('SIGINT')).toBe(true);
    expect(sent).toEqual(['SIGINT', 'SIGINT']);
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
