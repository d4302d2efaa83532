/**
 * Export of the open run as a result bundle (zip with report.html, plots, CSV). The contract
 * call is the same everywhere: in Electron the shell asks where to save it (native dialog); in
 * web mode the page downloads the bundle the server just wrote.
 */
import { useState } from 'react';
import type { ReactNode } from 'react';
import { useDomain, useStores } from '../stores/context';
import { formatBytes, startDownload } from './bundleFiles';

type ExportState =
  | { kind: 'idle' }
  | { kind: 'working' }
  | { kind: 'done'; message: string }
  | { kind: 'cancelled' }
  | { kind: 'error'; message: string };

export function ExportButton({ runId }: { runId: string }): ReactNode {
  const { api } = useStores();
  const transport = useDomain('app', (s) => s.transport);
  const [state, setState] = useState<ExportState>({ kind: 'idle' });

  const exportRun = async (): Promise<void> => {
    setState({ kind: 'working' });
    const res = await api.call('runs:export', { runId });
    if (!res.ok) {
      if (res.error.code === 'CANCELLED') setState({ kind: 'cancelled' });
      else setState({ kind: 'error', message: `Export failed: ${res.error.message}` });
      return;
    }
    const { file, bytes, downloadName } = res.value;
    if (transport === 'ipc') {
      setState({ kind: 'done', message: `Saved ${formatBytes(bytes)} to ${file}` });
    } else {
      startDownload(document, downloadName);
      setState({ kind: 'done', message: `Downloading ${downloadName} (${formatBytes(bytes)})` });
    }
  };

  return (
    <div className="bundle-action">
      <button
        type="button"
        data-testid="export-bundle"
        disabled={state.kind === 'working'}
        onClick={() => void exportRun()}
        title="A zip with report.html, report.md, plots, CSV and the raw run, to share or import elsewhere"
      >
        {state.kind === 'working' ? 'Exporting…' : 'Export bundle'}
      </button>
      {state.kind === 'done' ? (
        <span className="banner ok small" data-testid="export-status">
          {state.message}
        </span>
      ) : null}
      {state.kind === 'cancelled' ? (
        <span className="muted small" data-testid="export-status">
          Export cancelled: no file was saved.
        </span>
      ) : null}
      {state.kind === 'error' ? (
        <span className="error-box" data-testid="export-error">
          {state.message}
        </span>
      ) : null}
    </div>
  );
}
