/**
 * Web-mode access control: a random token (as Jupyter does) required for the page and every
 * API connection, plus Host and Origin checks so a DNS-rebinding page cannot reach the server.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { TOKEN_COOKIE } from '../../shared/wire';

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

/** The token cookie value from a Cookie header. */
export function tokenFromCookie(header: string | undefined): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === TOKEN_COOKIE)
      return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

/** Set-Cookie value that lets the page's assets and WebSocket authenticate. */
export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
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
