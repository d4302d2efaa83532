// Whether the desktop app can start here, and if not, the true reason, the command that fixes
// it and the exit code `npm start --desktop` gives. Pure: the caller passes in what it found
// (readLaunchFacts below reads it from this machine), so every condition is unit-tested.
import { statSync, readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The command that downloads Electron's binary (npm 11 does not run its install script). */
export const FETCH_ELECTRON_COMMAND = 'node node_modules/electron/install.js';

/** Exit codes of a desktop window that cannot open (the first blocking condition wins). */
export const LAUNCH_EXIT = {
  /** The window opened (or would open). */
  ok: 0,
  /** The Electron binary was never downloaded. */
  noBinary: 3,
  /** Running as root: Chromium refuses to start its sandbox. */
  root: 4,
  /** Linux without DISPLAY or WAYLAND_DISPLAY. */
  noDisplay: 5,
  /** Neither of Chromium's sandboxes can work (user namespaces restricted, helper not setuid root). */
  sandbox: 6,
};

/** The mode Chromium requires of its setuid sandbox helper (owner root). */
const HELPER_MODE = 0o4755;
/** Name of the AppArmor profile the fix installs. */
const APPARMOR_PROFILE = 'benchvisor-electron';

/**
 * @typedef {{ path: string, exists: boolean } | { error: string }} ElectronBinary
 *   What `require('electron')` gave: the binary's path (and whether it exists), or why the
 *   package could not say (it throws when its binary was never downloaded).
 * @typedef {{ path: string, exists: boolean, uid?: number, mode?: number }} SandboxHelper
 *   `chrome-sandbox` next to the binary: owner and permission bits (mode & 0o7777).
 * @typedef {{ restricted: boolean, by?: 'apparmor' | 'userns_clone' | 'max_user_namespaces' }} UserNamespaces
 * @typedef {{ binary: ElectronBinary, env: Record<string, string | undefined>, platform: string,
 *   uid?: number, helper?: SandboxHelper, userns?: UserNamespaces }} LaunchFacts
 * @typedef {{ action: 'launch', bin: string, exitCode: 0, message: string }
 *   | { action: 'web-mode', reasons: string[], fixes: string[], exitCode: number, message: string }} LaunchPlan
 */

/** The helper as Chromium wants it: owned by root with mode 4755. */
export function helperConfigured(helper) {
  return Boolean(helper && helper.exists && helper.uid === 0 && helper.mode === HELPER_MODE);
}

/** The exact commands that allow the sandbox where user namespaces are restricted. */
export function sandboxFixes(helperPath, bin, by) {
  const fixes = [
    `make the sandbox helper setuid root: sudo chown root:root ${helperPath} && sudo chmod 4755 ${helperPath}`,
  ];
  if (by === 'apparmor') {
    fixes.push(
      `or let Electron create user namespaces with an AppArmor profile (as Ubuntu does for browsers):\n` +
        `      printf 'abi <abi/4.0>,\\ninclude <tunables/global>\\nprofile ${APPARMOR_PROFILE} "${bin}" flags=(unconfined) {\\n  userns,\\n}\\n' | sudo tee /etc/apparmor.d/${APPARMOR_PROFILE}\n` +
        `      sudo apparmor_parser -r /etc/apparmor.d/${APPARMOR_PROFILE}`,
    );
  } else if (by === 'userns_clone') {
    fixes.push(
      'or allow unprivileged user namespaces: sudo sysctl -w kernel.unprivileged_userns_clone=1',
    );
  } else if (by === 'max_user_namespaces') {
    fixes.push('or allow user namespaces: sudo sysctl -w user.max_user_namespaces=15000');
  }
  return fixes;
}

function describeHelper(helper) {
  if (!helper.exists) return 'missing';
  const mode = (helper.mode ?? 0).toString(8).padStart(4, '0');
  return `owned by uid ${helper.uid} with mode ${mode}`;
}

const RESTRICTED_BY = {
  apparmor: 'kernel.apparmor_restrict_unprivileged_userns=1',
  userns_clone: 'kernel.unprivileged_userns_clone=0',
  max_user_namespaces: 'user.max_user_namespaces=0',
};

/** Blocking conditions in order: [reason, fixes, exit code]. */
function blockers({ binary, env, platform, uid, helper, userns }) {
  const found = [];
  const haveBinary = 'path' in binary && binary.exists;
  if (!haveBinary) {
    const where = 'path' in binary ? ` (expected at ${binary.path})` : '';
    const mirror = env.ELECTRON_MIRROR ? '' : ' (set ELECTRON_MIRROR=<url> to use a mirror)';
    found.push([
      `the Electron binary is not downloaded${where}`,
      [`fetch it with: ${FETCH_ELECTRON_COMMAND}${mirror}`],
      LAUNCH_EXIT.noBinary,
    ]);
  }
  if (platform !== 'linux') return found;
  if (uid === 0) {
    found.push([
      'it runs as root, and Chromium will not start its sandbox as root (Benchvisor never turns the sandbox off)',
      ['start it as your own user, not root (e.g. sudo -u "$SUDO_USER" npm start)'],
      LAUNCH_EXIT.root,
    ]);
  }
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) {
    found.push([
      'there is no graphical display (DISPLAY and WAYLAND_DISPLAY are unset)',
      ['run `npm start` inside a desktop session (or use web mode, below)'],
      LAUNCH_EXIT.noDisplay,
    ]);
  }
  if (haveBinary && uid !== 0 && userns?.restricted && helper && !helperConfigured(helper)) {
    found.push([
      `Chromium's sandbox cannot start: unprivileged user namespaces are restricted ` +
        `(${RESTRICTED_BY[userns.by ?? 'apparmor']}) and the setuid helper ${helper.path} is ` +
        `${describeHelper(helper)} (it must be owned by root with mode 4755)`,
      sandboxFixes(helper.path, binary.path, userns.by),
      LAUNCH_EXIT.sandbox,
    ]);
  }
  return found;
}

/**
 * @param {LaunchFacts} facts
 * @returns {LaunchPlan}
 */
export function electronLaunchPlan(facts) {
  const found = blockers(facts);
  if (found.length === 0 && 'path' in facts.binary) {
    return {
      action: 'launch',
      bin: facts.binary.path,
      exitCode: LAUNCH_EXIT.ok,
      message: 'Opening the desktop window (Chromium sandbox on).',
    };
  }
  const reasons = found.map((f) => f[0]);
  const fixes = found.flatMap((f) => f[1]);
  const message = [
    `The desktop window cannot open here: ${reasons.join('; and ')}.`,
    ...fixes.map((f) => `  - ${f}`),
  ].join('\n');
  return { action: 'web-mode', reasons, fixes, exitCode: found[0][2], message };
}

/** What `require('electron')` says about its binary (it throws when it was never downloaded). */
export function electronBinary(requireFrom) {
  try {
    const bin = createRequire(requireFrom)('electron');
    return typeof bin === 'string' ? { path: bin, exists: existsSync(bin) } : { error: 'no path' };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

function readSysctl(path) {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined; // not this kernel's knob
  }
}

/** Whether this kernel lets an unprivileged process create a user namespace. */
export function readUserNamespaces() {
  if (readSysctl('/proc/sys/kernel/apparmor_restrict_unprivileged_userns') === '1')
    return { restricted: true, by: 'apparmor' };
  if (readSysctl('/proc/sys/kernel/unprivileged_userns_clone') === '0')
    return { restricted: true, by: 'userns_clone' };
  if (readSysctl('/proc/sys/user/max_user_namespaces') === '0')
    return { restricted: true, by: 'max_user_namespaces' };
  return { restricted: false };
}

/** `chrome-sandbox` next to the Electron binary. */
export function readSandboxHelper(bin) {
  const path = join(dirname(bin), 'chrome-sandbox');
  try {
    const st = statSync(path);
    return { path, exists: true, uid: st.uid, mode: st.mode & 0o7777 };
  } catch {
    return { path, exists: false };
  }
}

/** Everything electronLaunchPlan needs, read from this machine. */
export function readLaunchFacts(requireFrom, env = process.env) {
  const binary = electronBinary(requireFrom);
  return {
    binary,
    env,
    platform: process.platform,
    uid: process.getuid?.(),
    helper: 'path' in binary ? readSandboxHelper(binary.path) : undefined,
    userns: process.platform === 'linux' ? readUserNamespaces() : undefined,
  };
}

/**
 * One line for the outcome of the explicit download in setup (`scripts/fetch-electron.mjs`).
 * @param {{ ok: boolean, detail?: string, mirror?: string }} outcome
 */
export function fetchOutcomeMessage({ ok, detail, mirror }) {
  if (ok) return 'Electron: binary present; `npm start` opens the desktop window.';
  const from = mirror ? ` from ${mirror}` : '';
  const why = detail ? `: ${detail}` : '';
  return (
    `Electron: its binary could not be downloaded${from}${why}. Setup carries on: ` +
    `\`npm start\` will serve the same UI to a browser (web mode). To retry later: ` +
    `${FETCH_ELECTRON_COMMAND} (ELECTRON_MIRROR=<url> picks a mirror).`
  );
}
