/**
 * Issue #25 item 3: `npm run dev` showed a blank window because the header CSP `script-src
 * 'self'` blocked the React Refresh preamble that @vitejs/plugin-react injects inline. The dev
 * policy admits the dev session's nonce (and only in development); the production policy is
 * unchanged. The second test runs Vite's real dev HTML transform with the project's config.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createServer, type InlineConfig } from 'vite';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import electronViteConfig from '../../electron.vite.config';
import {
  DEV_NONCE_ENV,
  devContentSecurityPolicy,
  windowContentSecurityPolicy,
} from '../../src/main/shell/contentPolicy';
import { CONTENT_SECURITY_POLICY } from '../../src/main/web/staticFiles';
import { ROOT } from '../engine/helpers';

const NONCE = 'AAAAAAAAAAAAAAAAAAAAAAAA';
const DEV_URL = 'http://localhost:5173';

describe('the window CSP', () => {
  it('production: exactly the web-mode policy, scripts from self only', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect(windowContentSecurityPolicy({ devUrl: undefined, devNonce: undefined })).toBe(
      CONTENT_SECURITY_POLICY,
    );
    // A nonce without a dev server (a packaged app with a stray variable) changes nothing.
    expect(windowContentSecurityPolicy({ devUrl: undefined, devNonce: NONCE })).toBe(
      CONTENT_SECURITY_POLICY,
    );
  });

  it('development: the nonce is added to script-src, nothing else changes', () => {
    const dev = windowContentSecurityPolicy({ devUrl: DEV_URL, devNonce: NONCE });
    expect(dev).toBe(devContentSecurityPolicy(NONCE));
    expect(dev).toContain(`script-src 'self' 'nonce-${NONCE}';`);
    expect(dev.replace(` 'nonce-${NONCE}'`, '')).toBe(CONTENT_SECURITY_POLICY);
    expect(dev).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
  });

  it('a nonce that is not base64 never reaches the header', () => {
    for (const bad of [
      '',
      'short',
      "AAAAAAAAAAAAAAAAAAAAAAAA'; script-src *",
      'A'.repeat(22) + ' x',
    ]) {
      expect(windowContentSecurityPolicy({ devUrl: DEV_URL, devNonce: bad })).toBe(
        CONTENT_SECURITY_POLICY,
      );
      expect(() => devContentSecurityPolicy(bad)).toThrow(/not a base64 CSP nonce/);
    }
  });
});

describe('the dev server stamps the nonce on the preamble (real Vite transform)', () => {
  const before = process.env[DEV_NONCE_ENV];
  afterAll(() => {
    if (before === undefined) delete process.env[DEV_NONCE_ENV];
    else process.env[DEV_NONCE_ENV] = before;
  });

  it('every script tag of the dev page carries the nonce main puts in the CSP; builds have none', async () => {
    const serve = electronViteConfig({ command: 'serve', mode: 'development' });
    const nonce = process.env[DEV_NONCE_ENV];
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{24}$/);
    expect(windowContentSecurityPolicy({ devUrl: DEV_URL, devNonce: nonce })).toContain(
      `'nonce-${nonce}'`,
    );
    const build = electronViteConfig({ command: 'build', mode: 'production' });
    expect((build.renderer as InlineConfig).html?.cspNonce).toBeUndefined();

    const server = await createServer({
      ...(serve.renderer as InlineConfig),
      configFile: false,
      logLevel: 'silent',
      server: { middlewareMode: true, ws: false },
    });
    try {
      const source = readFileSync(join(ROOT, 'src', 'renderer', 'index.html'), 'utf8');
      const html = await server.transformIndexHtml('/', source);
      expect(html).toContain('injectIntoGlobalHook'); // the React Refresh preamble
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThanOrEqual(2);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    } finally {
      await server.close();
    }
  });
});
