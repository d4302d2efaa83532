/**
 * Web mode on a network address: serving anywhere but loopback needs an explicit opt-in
 * (`--expose`), and then the server says plainly what it exposes and how to avoid it.
 */
import { isIP } from 'node:net';

/** The opt-in flag for a non-loopback --host. */
export const EXPOSE_FLAG = '--expose';

/** Is `host` reachable from this machine only (127.0.0.0/8, ::1, localhost)? */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h === '::1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice('::ffff:'.length) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/** Why a non-loopback --host without the opt-in is refused (a usage error, exit 2). */
export function exposureRefusal(host: string): string {
  return (
    `--host ${host}: this address is reachable from other machines. Web mode speaks plain HTTP, ` +
    `so its access token and everything on the page cross the network unencrypted. ` +
    `Add ${EXPOSE_FLAG} if that is what you want, or keep the default 127.0.0.1 and reach it ` +
    `through an SSH tunnel (see README, "Serving a lab machine safely").`
  );
}

/** What a network-facing server exposes, printed on stderr at start. */
export function exposureNotice(host: string, port: number): string {
  return [
    `WARNING: serving on ${host}:${port} over plain HTTP (${EXPOSE_FLAG}).`,
    `  Anyone who can reach this address and learns the token (it travels unencrypted, in the`,
    `  URL and then in a cookie) can: start benchmark runs (programs, Docker containers and QEMU`,
    `  guests on this machine), type into their consoles, read, export, import and delete runs.`,
    `  Safer: serve on 127.0.0.1 and open an SSH tunnel from your own machine:`,
    `    ssh -L ${port}:127.0.0.1:${port} <this machine>`,
  ].join('\n');
}
