/**
 * Web-mode access control: a random token (as Jupyter does) required for the page and every
 * API connection, plus Host and Origin checks so a DNS-rebinding page cannot reach the server.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { tokenCookieName } from '../../shared/wire';
import { decodeComponent } from './requestInput';

/** Random bytes in a token (hex-encoded: 64 characters). */
export const TOKEN_BYTES = 32;

export function generateToken(): string {
  return randomBytes(TOKEN_BYTES).toString('hex');
}

/** Constant-time comparison of a presented token with the real one. */
export function tokenMatches(presented: string | null | undefined, token: string): boolean {
  if (!presented) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Every value of the cookie `name` in a Cookie header (a browser may send several cookies of
 * one name, e.g. one planted with a narrower Path by another local service: each is a
 * candidate). Values with malformed percent-escapes are skipped, never thrown on.
 */
export function cookieValues(header: string | undefined, name: string): string[] {
  if (!header) return [];
  const out: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const value = decodeComponent(part.slice(eq + 1).trim());
    if (value !== null) out.push(value);
  }
  return out;
}

/** Does any token presented (query parameter or cookies) match the real one? */
export function anyTokenMatches(presented: Iterable<string>, token: string): boolean {
  let ok = false;
  // No early exit: the time taken does not depend on which candidate matched.
  for (const p of presented) ok = tokenMatches(p, token) || ok;
  return ok;
}

/** Set-Cookie value that lets the page's assets and WebSocket authenticate (port-scoped name). */
export function tokenCookie(token: string, port: number): string {
  return `${tokenCookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '']);

/** Formats host:port the way a Host header spells it ([::1]:8080 for IPv6). */
export function hostPort(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * Which Host headers are accepted: the bound address and the loopback names, on our port.
 * When bound to every interface, any IP literal is accepted too (DNS rebinding needs a name).
 */
export class HostPolicy {
  private readonly allowed: Set<string>;
  private readonly wildcard: boolean;

  constructor(
    bindHost: string,
    private readonly port: number,
    extraHosts: string[] = [],
  ) {
    this.wildcard = WILDCARD_HOSTS.has(bindHost);
    const names = ['127.0.0.1', 'localhost', '::1', ...extraHosts];
    if (!this.wildcard) names.push(bindHost);
    this.allowed = new Set(names.map((n) => hostPort(n, port).toLowerCase()));
  }

  hostAllowed(hostHeader: string | undefined): boolean {
    if (!hostHeader) return false;
    const h = hostHeader.toLowerCase();
    if (this.allowed.has(h)) return true;
    if (!this.wildcard) return false;
    const m = /^\[([0-9a-f:.]+)\]:(\d+)$/.exec(h) ?? /^([0-9.]+):(\d+)$/.exec(h);
    return m !== null && isIP(m[1]!) !== 0 && Number(m[2]) === this.port;
  }

  /** An Origin header (when present) must be http://<an allowed host>. */
  originAllowed(origin: string | undefined): boolean {
    if (origin === undefined) return true;
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false;
    }
    if (url.protocol !== 'http:') return false;
    return this.hostAllowed(url.host);
  }
}
