// Whether the desktop app can start here, and if not, the true reason and the command that
// fixes it. Pure: the caller passes in what it found, so the decision is unit-tested.

/** The command that downloads Electron's binary (npm 11 does not run its install script). */
export const FETCH_ELECTRON_COMMAND = 'node node_modules/electron/install.js';

/**
 * @typedef {{ path: string, exists: boolean } | { error: string }} ElectronBinary
 *   What `require('electron')` gave: the binary's path (and whether it exists), or why the
 *   package could not say (it throws when its binary was never downloaded).
 * @typedef {{ launch: true, bin: string } | { launch: false, reasons: string[], fixes: string[] }} LaunchPlan
 */

/**
 * @param {{ binary: ElectronBinary, env: Record<string, string | undefined>, platform: string }} facts
 * @returns {LaunchPlan}
 */
export function electronLaunchPlan({ binary, env, platform }) {
  const reasons = [];
  const fixes = [];
  if ('error' in binary || !binary.exists) {
    const where = 'path' in binary ? ` (expected at ${binary.path})` : '';
    reasons.push(`the Electron binary is not downloaded${where}`);
    const mirror = env.ELECTRON_MIRROR ? '' : ' (set ELECTRON_MIRROR=<url> to use a mirror)';
    fixes.push(`fetch it with: ${FETCH_ELECTRON_COMMAND}${mirror}`);
  }
  // Only Linux (X11/Wayland) needs a display variable; macOS and Windows always have one.
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    reasons.push('there is no graphical display (DISPLAY and WAYLAND_DISPLAY are unset)');
    fixes.push('run `npm start` inside a desktop session (or use web mode, below)');
  }
  if (reasons.length === 0 && 'path' in binary) return { launch: true, bin: binary.path };
  return { launch: false, reasons, fixes };
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
