/**
 * Chooses how the renderer reaches the Node side, once at start: the preload's
 * `window.benchvisor` in Electron, else a WebSocket to the web-mode server.
 * Nothing else in the renderer knows which one it got.
 */
import type { BenchvisorApi } from '../../../shared/api';
import { WebSocketTransport } from './websocket';

export function pickTransport(win: Window): { api: BenchvisorApi; kind: 'ipc' | 'websocket' } {
  if (win.benchvisor) return { api: win.benchvisor, kind: 'ipc' };
  return {
    api: new WebSocketTransport(WebSocketTransport.urlFor(win.location)),
    kind: 'websocket',
  };
}
