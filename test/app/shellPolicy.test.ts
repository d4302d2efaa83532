/**
 * The desktop shell's security decisions (issue #9 item 8), under plain Node: URL trust with
 * an exact dev-server origin, navigation and redirects, external links, permissions, the IPC
 * sender check, the app scheme's file mapping and the production menu.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { APP_START_URL, appAssetPath } from '../../src/main/shell/appProtocol';
import { menuTemplate } from '../../src/main/shell/menu';
import type { MenuItemSpec } from '../../src/main/shell/menu';
import {
  externalLinkAllowed,
  ipcSenderAllowed,
  isTrustedUrl,
  navigationAllowed,
  permissionGranted,
} from '../../src/main/shell/policy';

const DEV = { devUrl: 'http://localhost:5173' };

describe('isTrustedUrl', () => {
  it('trusts our scheme and host only', () => {
    expect(isTrustedUrl(APP_START_URL)).toBe(true);
    expect(isTrustedUrl('benchvisor://app/assets/index.js#x')).toBe(true);
    expect(isTrustedUrl('benchvisor://app')).toBe(true); // an origin, as permission checks pass it
    expect(isTrustedUrl('benchvisor://evil/index.html')).toBe(false);
    expect(isTrustedUrl('benchvisor://app:81/index.html')).toBe(false);
    expect(isTrustedUrl('benchvisor://user@app/index.html')).toBe(false);
    expect(isTrustedUrl('file:///work/out/renderer/index.html')).toBe(false);
    expect(isTrustedUrl('not a url')).toBe(false);
    expect(isTrustedUrl('')).toBe(false);
  });

  it('trusts exactly the dev server origin, not a prefix match (issue #9: startsWith)', () => {
    expect(isTrustedUrl('http://localhost:5173/', DEV)).toBe(true);
    expect(isTrustedUrl('http://localhost:5173/src/main.tsx?v=1', DEV)).toBe(true);
    for (const evil of [
      'http://localhost:5173.evil.example/',
      'http://localhost:5173@evil.example/',
      'http://localhost:51730/',
      'https://localhost:5173/',
      'http://127.0.0.1:5173/',
    ])
      expect(isTrustedUrl(evil, DEV), evil).toBe(false);
    // Without a dev server configured, no http origin is trusted.
    expect(isTrustedUrl('http://localhost:5173/')).toBe(false);
    // A dev server URL that is not on loopback is ignored.
    expect(isTrustedUrl('http://evil.example/', { devUrl: 'http://evil.example' })).toBe(false);
  });
});

describe('navigation, redirects, links, permissions, IPC', () => {
  it('lets only the main frame navigate, and only to our page', () => {
    expect(navigationAllowed({ url: APP_START_URL, isMainFrame: true })).toBe(true);
    expect(navigationAllowed({ url: APP_START_URL, isMainFrame: false })).toBe(false);
    expect(navigationAllowed({ url: 'https://evil.example/', isMainFrame: true })).toBe(false);
    expect(navigationAllowed({ url: 'http://localhost:5173.evil/', isMainFrame: true }, DEV)).toBe(
      false,
    );
  });

  it('opens only allow-listed https origins in the browser', () => {
    expect(externalLinkAllowed('https://www.qemu.org/docs/master/')).toBe(true);
    for (const url of [
      'https://evil.example/',
      'https://www.qemu.org.evil.example/',
      'https://user@www.qemu.org/',
      'http://www.qemu.org/',
      'file:///etc/passwd',
      'smb://host/share',
      'javascript:alert(1)',
      'garbage',
    ])
      expect(externalLinkAllowed(url), url).toBe(false);
  });

  it('grants a listed permission to our page only, nothing else to anyone', () => {
    const ours = 'benchvisor://app';
    expect(
      permissionGranted({ permission: 'clipboard-sanitized-write', requestingUrl: ours }),
    ).toBe(true);
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'hid'])
      expect(permissionGranted({ permission, requestingUrl: ours }), permission).toBe(false);
    expect(
      permissionGranted({
        permission: 'clipboard-sanitized-write',
        requestingUrl: 'https://evil.example',
      }),
    ).toBe(false);
    expect(
      permissionGranted({ permission: 'clipboard-sanitized-write', requestingUrl: undefined }),
    ).toBe(false);
  });

  it('answers IPC from our page top frame only', () => {
    expect(ipcSenderAllowed({ url: APP_START_URL, isTopFrame: true })).toBe(true);
    expect(ipcSenderAllowed({ url: APP_START_URL, isTopFrame: false })).toBe(false);
    expect(ipcSenderAllowed({ url: 'https://evil.example/', isTopFrame: true })).toBe(false);
    expect(ipcSenderAllowed(null)).toBe(false);
    expect(ipcSenderAllowed({ url: 'http://localhost:5173/', isTopFrame: true }, DEV)).toBe(true);
  });
});

describe('app scheme and menu', () => {
  const dir = mkdtempSync(join(tmpdir(), 'benchvisor-app-scheme-'));
  writeFileSync(join(dir, 'index.html'), '<title>ui</title>');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('maps benchvisor://app/… into the renderer folder and nothing outside it', () => {
    expect(appAssetPath(APP_START_URL, dir)).toBe(join(dir, 'index.html'));
    expect(appAssetPath('benchvisor://app/', dir)).toBe(join(dir, 'index.html'));
    expect(appAssetPath('benchvisor://app/assets/a.js?x=1', dir)).toBe(join(dir, 'assets/a.js'));
    expect(appAssetPath('benchvisor://app/%2e%2e/%2e%2e/etc/passwd', dir)).toBe(
      join(dir, 'etc/passwd'),
    );
    expect(appAssetPath('benchvisor://app/%E0%A4%A', dir)).toBeNull();
    expect(appAssetPath('benchvisor://other/index.html', dir)).toBeNull();
    expect(appAssetPath('file:///etc/passwd', dir)).toBeNull();
  });

  const roles = (items: MenuItemSpec[]): string[] =>
    items.flatMap((i) => [...(i.role ? [i.role] : []), ...roles(i.submenu ?? [])]);

  it('has no DevTools toggle in the production menu (development keeps it)', () => {
    const reload = (): void => {};
    expect(roles(menuTemplate({ dev: false, reload }))).not.toContain('toggleDevTools');
    expect(roles(menuTemplate({ dev: true, reload }))).toContain('toggleDevTools');
  });
});
