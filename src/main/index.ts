/**
 * Electron composition root (thin): one window with contextIsolation, sandbox, no
 * nodeIntegration and a strict CSP; navigation and new windows locked; the API bound over
 * IPC (the sender's frame must be our page). Everything else lives in plain Node modules.
 */
import { BrowserWindow, Menu, app, session, shell } from 'electron';
import type { MenuItemConstructorOptions } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bindIpc } from './api/ipc';
import { createAppService } from './api/appService';
import { CONTENT_SECURITY_POLICY } from './web/staticFiles';

/** Set by electron-vite in development: the renderer's dev server. */
const DEV_URL = process.env['ELECTRON_RENDERER_URL'];
/** out/main: this file's folder once built. */
const HERE = dirname(fileURLToPath(import.meta.url));
const RENDERER_HTML = join(HERE, '../renderer/index.html');
const PRELOAD = join(HERE, '../preload/index.cjs');

function isTrustedUrl(url: string): boolean {
  if (DEV_URL && url.startsWith(DEV_URL)) return true;
  return (
    url === pathToFileURL(RENDERER_HTML).href ||
    url.startsWith(`${pathToFileURL(RENDERER_HTML).href}#`)
  );
}

function buildMenu(win: BrowserWindow): void {
  const template: MenuItemConstructorOptions[] = [
    { role: 'fileMenu' },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { label: 'Reload', accelerator: 'CmdOrCtrl+R', click: () => win.webContents.reload() },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'help', submenu: [{ role: 'about' }] },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

async function main(): Promise<void> {
  await app.whenReady();
  const { service, engine, dispose } = await createAppService();

  // The same CSP as web mode, for every response the window loads.
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
      },
    });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) =>
    callback(false),
  );

  const unbind = bindIpc({ service, isTrustedUrl });

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
    },
  });
  win.once('ready-to-show', () => win.show());
  // Locked: no navigation away from our page, no new windows (links open in the browser).
  win.webContents.on('will-navigate', (event, url) => {
    if (!isTrustedUrl(url)) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  buildMenu(win);

  if (DEV_URL) await win.loadURL(DEV_URL);
  else await win.loadFile(RENDERER_HTML);

  app.on('window-all-closed', () => app.quit());
  // Quit only after every guest, container and process we started is gone.
  let cleanedUp = false;
  app.on('before-quit', (event) => {
    if (cleanedUp) return;
    event.preventDefault();
    unbind();
    void dispose()
      .catch((e: unknown) => console.error('benchvisor: cleanup on quit failed:', e))
      .finally(() => {
        cleanedUp = true;
        app.quit();
      });
  });
  // Last resort when the process ends without a clean quit (crash, kill).
  process.on('exit', () => engine.tracker.killAllSync());
}

main().catch((e: unknown) => {
  console.error('benchvisor: the app failed to start:', e);
  app.exit(1);
});
