/**
 * Connections that have not shown the token yet cost little and not for long. Each client
 * address may hold at most MAX_UNAUTHENTICATED_PER_ADDRESS such connections; one more evicts
 * that address's oldest (so a flood of idle or slow-header sockets from one address cannot keep
 * a real page out: the real request arrives, its socket evicts an idle one, and it is answered
 * at once). A connection leaves the guard as soon as one of its requests carries the token, and
 * the HTTP server's header timeout drops whatever stays silent. Every address on loopback is
 * 127.0.0.1, so the eviction (not a refusal) is what lets the browser in during a local flood.
 */
import type { Socket } from 'node:net';

/** Connections without a valid token yet that one address may hold at once. */
export const MAX_UNAUTHENTICATED_PER_ADDRESS = 32;

export class ConnectionGuard {
  /** Unauthenticated sockets per address, oldest first (a Set keeps insertion order). */
  private readonly pending = new Map<string, Set<Socket>>();
  private readonly trusted = new WeakSet<Socket>();

  constructor(private readonly maxPerAddress = MAX_UNAUTHENTICATED_PER_ADDRESS) {}

  /** A new connection: counted against its address until it authenticates or closes. */
  admit(socket: Socket): void {
    const address = socket.remoteAddress ?? '';
    let set = this.pending.get(address);
    if (!set) {
      set = new Set();
      this.pending.set(address, set);
    }
    while (set.size >= this.maxPerAddress) {
      const oldest = set.values().next().value as Socket;
      set.delete(oldest);
      oldest.destroy();
    }
    set.add(socket);
    socket.once('close', () => this.forget(socket, address));
  }

  /** One of the socket's requests carried the token: it is no longer counted. */
  authenticated(socket: Socket): void {
    if (this.trusted.has(socket)) return;
    this.trusted.add(socket);
    this.forget(socket, socket.remoteAddress ?? '');
  }

  isAuthenticated(socket: Socket): boolean {
    return this.trusted.has(socket);
  }

  /** Unauthenticated connections held now (all addresses). */
  get unauthenticated(): number {
    let n = 0;
    for (const set of this.pending.values()) n += set.size;
    return n;
  }

  private forget(socket: Socket, address: string): void {
    const set = this.pending.get(address);
    if (!set) return;
    set.delete(socket);
    if (set.size === 0) this.pending.delete(address);
  }
}
