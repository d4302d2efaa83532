/**
 * Electron IPC binding of the API service: one ipcMain handler validates every call at the
 * boundary (dispatch), after checking that the sender is our own page; events go to the
 * window's webContents.
 */
import { BrowserWindow, dialog, ipcMain } from 'electron';
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { err } from '../../shared/result';
import { IPC_CALL, IPC_EVENT } from '../../shared/wire';
import { ipcSenderAllowed } from '../shell/policy';
import type { ShellContext } from '../shell/policy';
import { dispatch } from './dispatch';
import { saveExportAs } from './saveExport';
import type { AskSavePath, ExportResponse } from './saveExport';
import type { ApiConnection, ApiService } from './service';

export interface IpcBindingOptions {
  service: ApiService;
  /** What the sender check needs (the dev server's URL in development). */
  shell: ShellContext;
}

/** The native save dialog, attached to the window that asked. */
function saveDialogFor(contents: WebContents): AskSavePath {
  return async (defaultName) => {
    const win = BrowserWindow.fromWebContents(contents);
    const options = {
      title: 'Export result bundle',
      defaultPath: defaultName,
      buttonLabel: 'Export',
      filters: [{ name: 'Benchvisor bundle', extensions: ['zip'] }],
    };
    const choice = win
      ? await dialog.showSaveDialog(win, options)
      : await dialog.showSaveDialog(options);
    return choice.canceled || !choice.filePath ? null : choice.filePath;
  };
}

/** Binds the service to ipcMain; returns a function that removes the binding. */
export function bindIpc({ service, shell }: IpcBindingOptions): () => void {
  const connections = new Map<number, ApiConnection>();

  const connectionFor = (contents: WebContents): ApiConnection => {
    let conn = connections.get(contents.id);
    if (!conn) {
      conn = service.connect(
        {
          send: (event, payload) => {
            if (!contents.isDestroyed()) contents.send(IPC_EVENT, event, payload);
          },
        },
        'ipc',
      );
      connections.set(contents.id, conn);
      contents.once('destroyed', () => {
        connections.get(contents.id)?.close();
        connections.delete(contents.id);
      });
    }
    return conn;
  };

  ipcMain.handle(
    IPC_CALL,
    async (event: IpcMainInvokeEvent, channel: unknown, request: unknown) => {
      const frame = event.senderFrame;
      const url = frame?.url ?? '';
      if (!ipcSenderAllowed(frame ? { url, isTopFrame: frame.parent === null } : null, shell)) {
        return err(
          'UNAUTHORIZED',
          `API calls are only accepted from the Benchvisor window's top frame (not ${url || 'an unknown frame'})`,
        );
      }
      const result = await dispatch(connectionFor(event.sender).handlers, channel, request);
      // Desktop Export: the bundle was written to the exports folder; the user picks where it goes.
      if (channel === 'runs:export' && result.ok) {
        return saveExportAs(result.value as ExportResponse, saveDialogFor(event.sender));
      }
      return result;
    },
  );

  return () => {
    ipcMain.removeHandler(IPC_CALL);
    for (const c of connections.values()) c.close();
    connections.clear();
  };
}
