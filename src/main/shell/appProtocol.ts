/**
 * The custom scheme the desktop app serves its renderer from (`benchvisor://app/index.html`)
 * instead of file://: a standard, secure origin of its own, so a page cannot reach other local
 * files and the CSP's 'self' means exactly our bundle. Pure: maps a request URL to a file
 * inside the built renderer folder; index.ts registers the scheme and serves the file.
 */
import { resolveInside } from '../web/staticFiles';

export const APP_SCHEME = 'benchvisor';
export const APP_HOST = 'app';
/** The page the window loads. */
export const APP_START_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** The file a `benchvisor://app/…` request names inside `rendererDir`, or null (→ 404). */
export function appAssetPath(requestUrl: string, rendererDir: string): string | null {
  let u: URL;
  try {
    u = new URL(requestUrl);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  return resolveInside(rendererDir, u.pathname);
}
