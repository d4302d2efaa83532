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
/** Query parameter and cookie that carry the web-mode access token. */
export const TOKEN_PARAM = 'token';
export const TOKEN_COOKIE = 'benchvisor_token';
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
