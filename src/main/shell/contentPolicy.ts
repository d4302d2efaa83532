/**
 * The window's Content-Security-Policy (pure). Production and web mode share one policy
 * (CONTENT_SECURITY_POLICY: only our own scripts). In development the page comes from Vite's
 * dev server, and @vitejs/plugin-react injects an inline module script (the React Refresh
 * preamble) that `script-src 'self'` blocks, leaving a blank window. The dev policy admits
 * exactly the scripts that carry the dev session's nonce (Vite's `html.cspNonce` stamps it on
 * every script tag it serves); nothing else changes, and without a dev server the production
 * policy is used unchanged.
 */
import { CONTENT_SECURITY_POLICY } from '../web/staticFiles';

/** Environment variable through which electron.vite.config.ts hands the dev nonce to main. */
export const DEV_NONCE_ENV = 'BENCHVISOR_DEV_CSP_NONCE';

/** A nonce is base64 (at least 128 bits): nothing that could end the header's directive. */
const NONCE_PATTERN = /^[A-Za-z0-9+/]{22,}={0,2}$/;

/** The production policy with the dev session's nonce added to script-src. */
export function devContentSecurityPolicy(nonce: string): string {
  if (!NONCE_PATTERN.test(nonce))
    throw new Error(`not a base64 CSP nonce: ${JSON.stringify(nonce)}`);
  const policy = CONTENT_SECURITY_POLICY.replace(
    "script-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
  );
  if (policy === CONTENT_SECURITY_POLICY) throw new Error("the policy has no script-src 'self'");
  return policy;
}

/**
 * The policy for the window: the dev policy only with a dev server URL and a valid nonce,
 * the production policy otherwise (a bad or missing nonce never loosens anything).
 */
export function windowContentSecurityPolicy(opts: {
  devUrl: string | undefined;
  devNonce: string | undefined;
}): string {
  if (!opts.devUrl || !opts.devNonce || !NONCE_PATTERN.test(opts.devNonce))
    return CONTENT_SECURITY_POLICY;
  return devContentSecurityPolicy(opts.devNonce);
}
