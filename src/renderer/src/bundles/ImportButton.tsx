/**
 * Import of a result bundle (.zip): the file is uploaded in chunks and imported (uploadBundle);
 * the imported run then shows in the history (marked imported), or the bundle validator's
 * specific error is shown. The button shows the upload's progress.
 */
import { useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { Response } from '../../../shared/api';
import type { Result } from '../../../shared/result';
import { bundleFileProblem } from './bundleFiles';
import type { UploadProgress } from '../../../shared/bundleUpload';

type ImportState =
  | { kind: 'idle' }
  | { kind: 'working'; name: string; percent: number }
  | { kind: 'done'; name: string; result: Response<'runs:import'> }
  | { kind: 'error'; message: string };

export interface ImportButtonProps {
  /** Uploads and imports the bundle, reporting progress (uploadBundle). */
  upload(
    file: File,
    onProgress: UploadProgress,
    signal: AbortSignal,
  ): Promise<Result<Response<'runs:import'>>>;
  /** Called after a successful import (refresh the history). */
  onImported(result: Response<'runs:import'>): void;
  /** Opens a run in the results view. */
  onOpen(runId: string): void;
}

export function ImportButton({ upload, onImported, onOpen }: ImportButtonProps): ReactNode {
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<ImportState>({ kind: 'idle' });
  const abort = useRef<AbortController | null>(null);

  const importFile = async (file: File): Promise<void> => {
    const problem = bundleFileProblem(file);
    if (problem) return setState({ kind: 'error', message: `Import refused: ${problem}` });
    setState({ kind: 'working', name: file.name, percent: 0 });
    const controller = new AbortController();
    abort.current = controller;
    let res: Result<Response<'runs:import'>>;
    try {
      res = await upload(
        file,
        (sent, total) =>
          setState({
            kind: 'working',
            name: file.name,
            percent: total > 0 ? Math.floor((sent / total) * 100) : 100,
          }),
        controller.signal,
      );
    } catch (e) {
      return setState({
        kind: 'error',
        message: `Import failed: ${e instanceof Error ? e.message : String(e)}`,
      });
    } finally {
      abort.current = null;
    }
    if (!res.ok && res.error.code === 'CANCELLED') return setState({ kind: 'idle' });
    if (!res.ok) return setState({ kind: 'error', message: `Import failed: ${res.error.message}` });
    setState({ kind: 'done', name: file.name, result: res.value });
    onImported(res.value);
  };

  return (
    <div className="bundle-action">
      <label className={`button${state.kind === 'working' ? ' disabled' : ''}`}>
        {state.kind === 'working' ? `Importing ${state.name}… ${state.percent}%` : 'Import bundle…'}
        <input
          ref={input}
          type="file"
          accept=".zip,application/zip"
          data-testid="import-bundle"
          className="visually-hidden"
          disabled={state.kind === 'working'}
          onChange={(e) => {
            const file = e.target.files?.[0];
            // Clear the input so choosing the same file again imports it again.
            e.target.value = '';
            if (file) void importFile(file);
          }}
        />
      </label>
      {state.kind === 'working' ? (
        <button
          type="button"
          className="button"
          data-testid="import-cancel"
          onClick={() => abort.current?.abort()}
        >
          Cancel
        </button>
      ) : null}
      {state.kind === 'done' ? (
        <span className="banner ok small" data-testid="import-status">
          Imported {state.name} as run {state.result.runId} ({state.result.samples} samples; was{' '}
          {state.result.originalRunId}).{' '}
          <button
            type="button"
            className="link"
            data-testid="import-open"
            onClick={() => onOpen(state.result.runId)}
          >
            Open
          </button>
        </span>
      ) : null}
      {state.kind === 'error' ? (
        <div className="error-box" data-testid="import-error">
          {state.message}
        </div>
      ) : null}
    </div>
  );
}
