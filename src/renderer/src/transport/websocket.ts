/**
 * The API over WebSocket (web mode). The page is authenticated by the HttpOnly cookie the
 * server set when it was opened with the token; a token still in the URL is passed along too.
 * Calls made while disconnected fail with UNAVAILABLE; the socket reconnects by itself.
 */
import type {
  BenchvisorApi,
  Channel,
  EventName,
  EventPayload,
  Request,
  Response,
} from '../../../shared/api';
import { err } from '../../../shared/result';
import type { Result } from '../../../shared/result';
import { TOKEN_PARAM, WS_PATH } from '../../../shared/wire';
import type { WireMessage } from '../../../shared/wire';

/** Wait before reconnecting, doubled up to the maximum. */
const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 8000;

type AnyListener = (payload: unknown) => void;

export class WebSocketTransport implements BenchvisorApi {
  private socket: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, (r: Result<unknown>) => void>();
  /** Calls made before the socket opened, sent once it does. */
  private readonly queued: { id: number; text: string }[] = [];
  /** Calls sent on the current socket and not answered yet. */
  private readonly inFlight = new Set<number>();
  private readonly listeners = new Map<string, Set<AnyListener>>();
  private reconnectMs = RECONNECT_MIN_MS;
  /** Observers of the connection state (the header shows it). */
  readonly stateListeners = new Set<(connected: boolean) => void>();

  constructor(private readonly url: string) {
    this.open();
  }

  /** The endpoint for the current page (same host; token forwarded when the URL has one). */
  static urlFor(location: Location): string {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const token = new URLSearchParams(location.search).get(TOKEN_PARAM);
    const query = token ? `?${TOKEN_PARAM}=${encodeURIComponent(token)}` : '';
    return `${proto}//${location.host}${WS_PATH}${query}`;
  }

  call<C extends Channel>(channel: C, request: Request<C>): Promise<Result<Response<C>>> {
    const id = this.nextId++;
    const text = JSON.stringify({ id, channel, request });
    return new Promise((resolve) => {
      this.pending.set(id, resolve as (r: Result<unknown>) => void);
      if (this.socket?.readyState === WebSocket.OPEN) {
        this.socket.send(text);
        this.inFlight.add(id);
      } else this.queued.push({ id, text });
    });
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener as AnyListener);
    return () => set.delete(listener as AnyListener);
  }

  private open(): void {
    const ws = new WebSocket(this.url);
    this.socket = ws;
    ws.onopen = () => {
      this.reconnectMs = RECONNECT_MIN_MS;
      for (const q of this.queued.splice(0)) {
        ws.send(q.text);
        this.inFlight.add(q.id);
      }
      for (const l of this.stateListeners) l(true);
    };
    ws.onmessage = (ev: MessageEvent<string>) => this.receive(ev.data);
    ws.onclose = () => {
      for (const l of this.stateListeners) l(false);
      // Calls in flight cannot be answered any more.
      for (const id of this.inFlight) {
        this.pending.get(id)?.(
          err('UNAVAILABLE', 'the connection to the Benchvisor server was lost'),
        );
        this.pending.delete(id);
      }
      this.inFlight.clear();
      setTimeout(() => this.open(), this.reconnectMs);
      this.reconnectMs = Math.min(this.reconnectMs * 2, RECONNECT_MAX_MS);
    };
  }

  private receive(text: string): void {
    let msg: WireMessage;
    try {
      msg = JSON.parse(text) as WireMessage;
    } catch {
      return;
    }
    if (msg.type === 'reply') {
      const resolve = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      this.inFlight.delete(msg.id);
      resolve?.(msg.result as Result<unknown>);
    } else if (msg.type === 'event') {
      for (const l of this.listeners.get(msg.event) ?? []) l(msg.payload);
    }
  }
}
