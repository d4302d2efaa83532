/**
 * The application menu as data (pure): roles and items, with DevTools only in development.
 * index.ts hands the template to Electron's Menu.
 */

export interface MenuItemSpec {
  role?: string;
  label?: string;
  accelerator?: string;
  type?: 'separator';
  click?: () => void;
  submenu?: MenuItemSpec[];
}

export function menuTemplate(opts: { dev: boolean; reload: () => void }): MenuItemSpec[] {
  const view: MenuItemSpec[] = [
    { label: 'Reload', accelerator: 'CmdOrCtrl+R', click: opts.reload },
    // The inspector can run any code in the page: development builds only.
    ...(opts.dev ? [{ role: 'toggleDevTools' }] : []),
    { type: 'separator' },
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { role: 'togglefullscreen' },
  ];
  return [
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    { role: 'help', submenu: [{ role: 'about' }] },
  ];
}
