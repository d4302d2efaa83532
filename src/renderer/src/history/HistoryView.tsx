/** Past runs, newest first; open one to see its results. */
import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { PLATFORM_INFO } from '../../../shared/platforms';
import type { RunListItem } from '../../../shared/run';
import { withRecordedOrder } from '../../../shared/runDesign';
import { ImportButton } from '../bundles/ImportButton';
import { uploadBundle } from '../../../shared/bundleUpload';
import { useDomain, useStores } from '../stores/context';

export function HistoryView(): ReactNode {
  const { history, app, api, wizard } = useStores();
  const [justImported, setJustImported] = useState<string | null>(null);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [againError, setAgainError] = useState<string | null>(null);
  /** Runs ticked for comparison, in the order they were ticked. */
  const [selected, setSelected] = useState<string[]>([]);
  const runs = useDomain('history', (s) => s.runs);
  const loading = useDomain('history', (s) => s.loading);
  const error = useDomain('history', (s) => s.error);
  useEffect(() => {
    void history.getState().refresh();
  }, [history]);

  const open = (runId: string, compareWith: string[] = []): void => {
    void history.getState().open(runId, compareWith);
    app.getState().setView('results');
  };
  const toggle = (runId: string): void =>
    setSelected(
      selected.includes(runId) ? selected.filter((x) => x !== runId) : [...selected, runId],
    );
  // Ticked runs that still exist (a deleted run drops out).
  const ticked = selected.filter((id) => runs.some((r) => r.runId === id));
  const runAgain = async (runId: string): Promise<void> => {
    const res = await api.call('runs:get', { runId });
    const experiment = res.ok ? (res.value.experiment as { config?: unknown } | null) : null;
    const problem = res.ok
      ? wizard.getState().loadConfig(withRecordedOrder(experiment?.config))
      : `cannot read run ${runId}: ${res.error.message}`;
    setAgainError(problem);
    if (problem === null) app.getState().setView('wizard');
  };
  const remove = async (r: RunListItem): Promise<void> => {
    const what = `"${r.name}" (${r.runId}, ${r.sampleCount} samples)`;
    if (!window.confirm(`Delete the run ${what} and its folder? This cannot be undone.`)) return;
    setDeleteError(await history.getState().remove(r.runId));
  };
  return (
    <div className="history-view" data-testid="history-view">
      <div className="run-head">
        <h2>History</h2>
        <div className="actions">
          <ImportButton
            upload={(file, onProgress, signal) => uploadBundle(api, file, onProgress, signal)}
            onImported={(r) => {
              setJustImported(r.runId);
              void history.getState().refresh();
            }}
            onOpen={open}
          />
          <button
            type="button"
            data-testid="history-compare"
            disabled={ticked.length < 2}
            title={
              ticked.length < 2
                ? 'Tick two or more runs to compare them'
                : ticked.length === 2
                  ? 'Compare the two runs: the older is the baseline, the newer the candidate'
                  : 'Open the first ticked run, compared with the others'
            }
            onClick={() => {
              // Two runs: the compare page (older = baseline, newer = candidate); more: the
              // first ticked run's results with the others on its charts.
              if (ticked.length === 2) {
                void history.getState().openComparison(ticked[0] as string, ticked[1] as string);
                app.getState().setView('compare');
              } else open(ticked[0] as string, ticked.slice(1));
            }}
          >
            Compare{ticked.length >= 2 ? ` ${ticked.length} runs` : '…'}
          </button>
          <button
            type="button"
            data-testid="history-refresh"
            disabled={loading}
            onClick={() => void history.getState().refresh()}
          >
            {loading ? 'Loading…' : 'Refresh'}
          </button>
        </div>
      </div>
      {error ? <div className="error-box">{error}</div> : null}
      {againError ? (
        <pre className="error-box" data-testid="run-again-error">
          Cannot set this run up again: {againError}
        </pre>
      ) : null}
      {deleteError ? (
        <div className="error-box" data-testid="delete-error">
          Delete failed: {deleteError}
        </div>
      ) : null}
      {runs.length === 0 && !loading ? <div className="empty">No runs yet.</div> : null}
      {runs.length > 0 ? (
        <table className="history-table" data-testid="history-table">
          <thead>
            <tr>
              <th>
                <span className="visually-hidden">Compare</span>
              </th>
              <th>Started</th>
              <th>Name</th>
              <th>Status</th>
              <th>Ran on</th>
              <th>Platforms</th>
              <th>Benchmarks</th>
              <th>Order</th>
              <th>Samples</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr
                key={r.runId}
                data-testid={`history-row-${r.runId}`}
                data-imported={r.imported ? 'true' : 'false'}
                className={r.runId === justImported ? 'just-imported' : ''}
              >
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Compare ${r.name} (${r.runId})`}
                    data-testid={`history-select-${r.runId}`}
                    disabled={r.sampleCount === 0 || r.damaged !== undefined}
                    checked={ticked.includes(r.runId)}
                    onChange={() => toggle(r.runId)}
                  />
                </td>
                <td>{new Date(r.startedAt).toLocaleString()}</td>
                <td>
                  {r.name}
                  {r.imported ? (
                    <span className="badge muted" data-testid={`history-imported-${r.runId}`}>
                      imported
                    </span>
                  ) : null}
                </td>
                <td>
                  {r.damaged !== undefined ? (
                    <span
                      className="badge status-failed"
                      data-testid={`history-damaged-${r.runId}`}
                      title={r.damaged}
                    >
                      damaged: {r.damaged}
                    </span>
                  ) : (
                    <span className={`badge status-${r.status}`}>{r.status}</span>
                  )}
                </td>
                <td data-testid={`history-host-${r.runId}`}>
                  {r.host ?? (r.imported ? '—' : 'this machine')}
                </td>
                <td>{r.platforms.map((p) => PLATFORM_INFO[p].title).join(', ')}</td>
                <td>{r.benchmarks.join(', ')}</td>
                <td data-testid={`history-order-${r.runId}`} title={r.orderText}>
                  {r.order ?? 'sequential'}
                </td>
                <td>
                  {r.sampleCount}
                  {r.failedCount > 0 ? (
                    <span className="bad"> ({r.failedCount} failed)</span>
                  ) : null}
                </td>
                <td>
                  <button
                    type="button"
                    data-testid={`history-open-${r.runId}`}
                    disabled={r.damaged !== undefined}
                    title={
                      r.damaged !== undefined ? 'A damaged run can only be deleted' : undefined
                    }
                    onClick={() => open(r.runId)}
                  >
                    Open
                  </button>{' '}
                  <button
                    type="button"
                    data-testid={`history-again-${r.runId}`}
                    disabled={r.damaged !== undefined}
                    title="Open this run's experiment in the wizard, to run it again or change it"
                    onClick={() => void runAgain(r.runId)}
                  >
                    Run again…
                  </button>{' '}
                  <button
                    type="button"
                    className="danger-link"
                    data-testid={`history-delete-${r.runId}`}
                    disabled={r.status === 'running'}
                    title={r.status === 'running' ? 'Cancel the run before deleting it' : undefined}
                    onClick={() => void remove(r)}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
