/**
 * Transport framing shared by the bindings: the Electron IPC channel names (used by the
 * preload, which may import nothing but electron and dependency-free files like this one)
 * and the WebSocket message shapes of web mode.
 */

/** ipcRenderer.invoke channel carrying `(channel, request)` → Result envelope. */
export const IPC_CALL = 'benchvisor:call';
/** webContents.send channel carrying `(eventName, payload)`. */
export const IPC_EVENT = 'benchvisor:event';

/** Path of the WebSocket endpoint in web mode. */
export const WS_PATH = '/api';
/** Query parameter that carries the web-mode access token in the start URL. */
export const TOKEN_PARAM = 'token';
/**
 * Name of the cookie that carries the token: `benchvisor_token_<port>`. Browsers send cookies
 * to every port of a host, so the port in the name (as Jupyter does) keeps two instances on
 * one machine from overwriting each other's cookie.
 */
export function tokenCookieName(port: number): string {
  return `benchvisor_token_${port}`;
}
/** URL prefix under which web mode offers exported bundles (runs:export's downloadName follows). */
export const DOWNLOADS_PATH = '/downloads/';

/** Client → server: one API call. `id` pairs the reply with the call. */
export interface WireCall {
  id: number;
  channel: string;
  request: unknown;
}

/** Server → client: the reply to a call, or a pushed event. */
export type WireMessage =
  | { type: 'reply'; id: number; result: unknown }
  | { type: 'event'; event: string; payload: unknown };
