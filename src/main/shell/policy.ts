/**
 * The desktop shell's security decisions as pure functions (no electron import): which URLs
 * are our own page, where a window may navigate or redirect, which links open in the
 * browser, which permission requests are granted, and which IPC senders are answered.
 * index.ts and api/ipc.ts pass Electron's inputs in; the tests call these under plain Node.
 */
import { APP_HOST, APP_SCHEME } from './appProtocol';

export interface ShellContext {
  /** The renderer's dev server (electron-vite sets ELECTRON_RENDERER_URL), or undefined. */
  devUrl?: string;
}

/**
 * Origins that links in the app may open in the system browser (documentation the app may
 * point to). Anything else is dropped; add an origin here deliberately, never a prefix.
 */
export const EXTERNAL_LINK_ORIGINS: ReadonlySet<string> = new Set([
  'https://www.qemu.org',
  'https://docs.docker.com',
  'https://www.linux-kvm.org',
]);

/** Permissions our own page may use; everything else is denied to every page. */
export const GRANTED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** The dev server's origin (http(s) on loopback only), or null when none is configured. */
function devOrigin(ctx: ShellContext): string | null {
  if (!ctx.devUrl) return null;
  const dev = parse(ctx.devUrl);
  if (!dev || (dev.protocol !== 'http:' && dev.protocol !== 'https:')) return null;
  if (!['localhost', '127.0.0.1', '[::1]'].includes(dev.hostname)) return null;
  return dev.origin;
}

/**
 * Is `url` (a full URL or an origin) our renderer: `benchvisor://app/…`, or, in development,
 * exactly the dev server's origin? Parsed, never compared by prefix: `http://localhost:5173.evil`
 * and `http://localhost:5173@evil` are other hosts.
 */
export function isTrustedUrl(url: string, ctx: ShellContext = {}): boolean {
  const u = parse(url);
  if (!u || u.username || u.password) return false;
  if (u.protocol === `${APP_SCHEME}:`) return u.host === APP_HOST;
  const dev = devOrigin(ctx);
  return dev !== null && u.origin === dev;
}

/** may a frame navigate (will-navigate, will-frame-navigate, will-redirect) to `url`? */
export function navigationAllowed(
  nav: { url: string; isMainFrame: boolean },
  ctx: ShellContext = {},
): boolean {
  // We have no subframes: any frame navigating elsewhere than our page's main frame is refused.
  return nav.isMainFrame && isTrustedUrl(nav.url, ctx);
}

/** May a link (window.open / target=_blank) open in the system browser? */
export function externalLinkAllowed(url: string): boolean {
  const u = parse(url);
  if (!u || u.protocol !== 'https:' || u.username || u.password) return false;
  return EXTERNAL_LINK_ORIGINS.has(u.origin);
}

/**
 * Permission check/request: granted only for a permission on the list, asked by our own
 * page (`requestingUrl` is the requesting frame's URL or origin).
 */
export function permissionGranted(
  req: { permission: string; requestingUrl: string | undefined },
  ctx: ShellContext = {},
): boolean {
  return (
    GRANTED_PERMISSIONS.has(req.permission) &&
    req.requestingUrl !== undefined &&
    isTrustedUrl(req.requestingUrl, ctx)
  );
}

/** Is an IPC call answered? Only from our page's top frame (not an iframe, not a dead frame). */
export function ipcSenderAllowed(
  frame: { url: string; isTopFrame: boolean } | null,
  ctx: ShellContext = {},
): boolean {
  return frame !== null && frame.isTopFrame && isTrustedUrl(frame.url, ctx);
}
