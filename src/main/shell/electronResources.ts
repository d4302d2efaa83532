/**
 * The main process's view of where its files are (pure: takes the parts of `electron` it
 * reads, so a test passes a stub with app.isPackaged true and a laid-out resources folder).
 */
import { resolveAppResources, type AppResources } from '../util/appResources';

/** What the resolver reads from Electron: `app.isPackaged` and `process.resourcesPath`. */
export interface ElectronLayoutFacts {
  app: { isPackaged: boolean };
  process: { resourcesPath?: string };
}

/** Every resource of the desktop app: packaged by electron-builder, or a checkout's build. */
export function mainProcessResources(
  electron: ElectronLayoutFacts,
  moduleDir: string,
): AppResources {
  return resolveAppResources({
    packaged: electron.app.isPackaged,
    resourcesPath: electron.process.resourcesPath,
    moduleDir,
  });
}
