/**
 * Preload (sandboxed, CommonJS): exposes exactly the API contract as `window.benchvisor`
 * (call + on), nothing more. It imports only electron and dependency-free shared files.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import type { BenchvisorApi, Channel, EventName, EventPayload, Request } from '../shared/api';
import type { Result } from '../shared/result';
import { IPC_CALL, IPC_EVENT } from '../shared/wire';

const api: BenchvisorApi = {
  call: <C extends Channel>(channel: C, request: Request<C>) =>
    ipcRenderer.invoke(IPC_CALL, channel, request) as Promise<Result<never>>,
  on: <E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) => {
    const handler = (_e: IpcRendererEvent, name: string, payload: unknown): void => {
      if (name === event) listener(payload as EventPayload<E>);
    };
    ipcRenderer.on(IPC_EVENT, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, handler);
    };
  },
};

contextBridge.exposeInMainWorld('benchvisor', api);
