/**
 * Electron composition root (thin): one window with contextIsolation, sandbox, no
 * nodeIntegration and a strict CSP, its page served from the privileged `benchvisor://app`
 * scheme (not file://); navigation, redirects, new windows and permissions locked; the API
 * bound over IPC (the sender's top frame must be our page). The decisions themselves are pure
 * functions in shell/ (unit-tested without Electron); this file only wires them in.
 */
import { BrowserWindow, Menu, app, dialog, protocol, session, shell } from 'electron';
import type { MenuItemConstructorOptions } from 'electron';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bindIpc } from './api/ipc';
import { createAppService } from './api/appService';
import { SHUTDOWN_SIGNALS, createShutdown } from './process/shutdown';
import { APP_SCHEME, APP_START_URL, appAssetPath } from './shell/appProtocol';
import { DEV_NONCE_ENV, windowContentSecurityPolicy } from './shell/contentPolicy';
import { hostSupportNote } from './shell/hostSupport';
import { menuTemplate } from './shell/menu';
import {
  externalLinkAllowed,
  isTrustedUrl,
  navigationAllowed,
  permissionGranted,
} from './shell/policy';
import type { ShellContext } from './shell/policy';
import { SECURITY_HEADERS, contentTypeFor } from './web/staticFiles';
import { mainProcessResources } from './shell/electronResources';
import { defaultAppPaths } from './util/appPaths';

/** Set by electron-vite in development: the renderer's dev server. */
const DEV_URL = process.env['ELECTRON_RENDERER_URL'];
/** The app's own files, in a checkout (out/main) or packaged by electron-builder. */
const RESOURCES = mainProcessResources({ app, process }, dirname(fileURLToPath(import.meta.url)));
const RENDERER_DIR = RESOURCES.rendererDir;
const PRELOAD = RESOURCES.preload;
const SHELL: ShellContext = { devUrl: DEV_URL };

// Before `ready`: our scheme is a standard, secure origin (fetch works, 'self' in the CSP means it).
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

/** Serves benchvisor://app/… from the built renderer folder, with the CSP on every answer. */
function serveAppScheme(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = appAssetPath(request.url, RENDERER_DIR);
    if (file) {
      try {
        const body = await readFile(file);
        return new Response(body, {
          headers: { 'Content-Type': contentTypeFor(file), ...SECURITY_HEADERS },
        });
      } catch {
        // fall through: 404
      }
    }
    return new Response('Not found', { status: 404, headers: SECURITY_HEADERS });
  });
}

/** Every webContents (the window and anything it might create): no navigation away, no webviews. */
function lockContents(contents: Electron.WebContents): void {
  contents.on('will-navigate', (event) => {
    if (!navigationAllowed({ url: event.url, isMainFrame: event.isMainFrame }, SHELL))
      event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!navigationAllowed({ url: event.url, isMainFrame: event.isMainFrame }, SHELL))
      event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!navigationAllowed({ url: event.url, isMainFrame: event.isMainFrame }, SHELL))
      event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (externalLinkAllowed(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

/** The default session's CSP (dev server responses too) and permission handlers. */
function secureSession(): void {
  // The CSP on the dev server's responses (the app scheme sets its own): the production policy
  // plus, in development only, the nonce Vite stamps on the React Refresh preamble.
  const csp = windowContentSecurityPolicy({
    devUrl: DEV_URL,
    devNonce: process.env[DEV_NONCE_ENV],
  });
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] },
    });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback, details) =>
    callback(permissionGranted({ permission, requestingUrl: details.requestingUrl }, SHELL)),
  );
  session.defaultSession.setPermissionCheckHandler((_wc, permission, requestingOrigin) =>
    permissionGranted({ permission, requestingUrl: requestingOrigin }, SHELL),
  );
}

/** The main window, hidden until its page is ready (then a note on unsupported systems). */
function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 860,
    title: 'Benchvisor',
    show: false,
    webPreferences: {
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
      // No inspector in production builds (it can run any code in the page).
      devTools: DEV_URL !== undefined,
    },
  });
  win.once('ready-to-show', () => {
    win.show();
    // Anywhere but Linux: say at start that Benchvisor does not support this system.
    const note = hostSupportNote(process.platform);
    if (note) void dialog.showMessageBox(win, { type: 'warning', message: note });
  });
  return win;
}

async function main(): Promise<void> {
  await app.whenReady();
  serveAppScheme();
  const { service, engine, dispose } = await createAppService({
    paths: defaultAppPaths(process.env, RESOURCES),
  });

  secureSession();
  app.on('web-contents-created', (_e, contents) => lockContents(contents));

  const unbind = bindIpc({ service, shell: SHELL });

  const win = createWindow();
  const template = menuTemplate({
    dev: DEV_URL !== undefined,
    reload: () => win.webContents.reload(),
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template as MenuItemConstructorOptions[]));

  const start = DEV_URL && isTrustedUrl(DEV_URL, SHELL) ? DEV_URL : APP_START_URL;
  await win.loadURL(start);

  app.on('window-all-closed', () => app.quit());
  // One shutdown path for quit and signals (process/shutdown.ts): cancel the run and wait until
  // it is marked cancelled, stop every guest, container and process — bounded, so a hung
  // Docker daemon cannot keep an invisible process alive; copies of a signal are ignored.
  const shutdown = createShutdown({
    cleanup: async () => {
      unbind();
      await dispose();
    },
    force: () => {
      engine.tracker.killAllSync();
      engine.staging.removeAllSync();
    },
    exit: (code) => app.exit(code),
    log: (line) => console.error(line),
  });
  app.on('before-quit', (event) => {
    event.preventDefault();
    void shutdown.begin('quitting', 0);
  });
  // Node's handlers replace Chromium's one-shot ones ("We had one shot at graceful shutdown").
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, () => shutdown.onSignal(signal));
  // Last resort when the process ends without a clean quit (crash, kill).
  process.on('exit', () => {
    engine.tracker.killAllSync();
    engine.staging.removeAllSync();
  });
}

main().catch((e: unknown) => {
  console.error('benchvisor: the app failed to start:', e);
  app.exit(1);
});
