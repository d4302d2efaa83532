/** The run in progress: progress, a console per platform, the log; cancel; results when done. */
import type { PlatformId } from '../../../shared/platforms';
import type { ReactNode } from 'react';
import { useDomain, useStores } from '../stores/context';
import { ConsolePane } from './ConsolePane';
import { ProgressPanel } from './ProgressPanel';
import { estimateErrorText } from '../../../shared/calibration';
import { PLACES_RUN_PREFIX } from '../../../shared/hosts';

export function RunView(): ReactNode {
  const { run, app, history } = useStores();
  const runId = useDomain('run', (s) => s.runId);
  const name = useDomain('run', (s) => s.name);
  const status = useDomain('run', (s) => s.status);
  const platforms = useDomain('run', (s) => s.platforms);
  const targets = useDomain('run', (s) => s.targets);
  // One console per target (titled with its label); per platform when the engine named none.
  const consoles =
    targets.length > 0
      ? targets.map((t) => ({ key: t.id, platform: t.platform as PlatformId, target: t }))
      : platforms.map((p) => ({ key: p, platform: p, target: null }));
  const finished = useDomain('run', (s) => s.finished);
  const connection = useDomain('run', (s) => s.connection);
  const logs = useDomain('run', (s) => s.logs);
  const samples = useDomain('run', (s) => s.samples);
  const cancelling = useDomain('run', (s) => s.cancelling);
  const estimated = useDomain('run', (s) => s.estimatedSeconds);
  const startedAt = useDomain('run', (s) => s.startedAtMs);
  const finishedAt = useDomain('run', (s) => s.finishedAtMs);
  const addedPerCell = useDomain('run', (s) => s.addedPerCell);
  // After a run: how far the review's estimate was off (it learns from this run next time).
  const estimateNote =
    finished?.status === 'completed' && estimated !== null && startedAt !== null && finishedAt
      ? estimateErrorText(estimated, Math.max(1, (finishedAt - startedAt) / 1000))
      : null;

  if (!runId) {
    return (
      <div className="empty" data-testid="run-none">
        No run yet. Set one up in <em>New experiment</em>.
      </div>
    );
  }
  const openResults = (): void => {
    // A run on lab hosts: its copy home, or the one comparison by host.
    void history.getState().open(finished?.resultRunId ?? runId);
    app.getState().setView('results');
  };
  return (
    <div className="run-view" data-testid="run-view" data-status={status}>
      <div className="run-head">
        <div>
          <h2 data-testid="run-name">{name ?? `Run ${runId}`}</h2>
          {runId.startsWith(PLACES_RUN_PREFIX) ? null : (
            <span className="muted small" data-testid="run-id">
              run {runId}{' '}
            </span>
          )}
          <span className={`badge status-${finished?.status ?? status}`} data-testid="run-status">
            {finished ? finished.status : status}
          </span>{' '}
          <span className="muted small">{samples.length} samples recorded</span>
          {addedPerCell !== null ? (
            <span className="muted small" data-testid="run-more-note">
              {' '}
              · {addedPerCell} more repetition{addedPerCell === 1 ? '' : 's'} per cell, added to
              this run
            </span>
          ) : null}
        </div>
        <div className="actions">
          {status === 'running' ? (
            <button
              type="button"
              className="danger"
              data-testid="run-cancel"
              disabled={cancelling}
              onClick={() => void run.getState().cancel()}
            >
              {cancelling ? 'Cancelling…' : 'Cancel run'}
            </button>
          ) : null}
          {finished ? (
            <button
              type="button"
              className="primary"
              data-testid="view-results"
              onClick={openResults}
            >
              View results
            </button>
          ) : null}
        </div>
      </div>
      {connection && status === 'running' ? (
        <div className="banner warn" data-testid="run-connection">
          {connection}
        </div>
      ) : null}
      {finished?.message ? (
        <div
          className={`banner ${finished.status === 'completed' ? 'ok' : 'warn'}`}
          data-testid="run-finished-message"
        >
          {finished.message}
        </div>
      ) : null}
      {estimateNote ? (
        <div className="muted small" data-testid="run-estimate-error">
          Time: {estimateNote}
        </div>
      ) : null}
      <ProgressPanel />
      <div className={`consoles n${Math.min(consoles.length, 2)}`}>
        {consoles.map((c) => (
          <ConsolePane
            key={`${runId}-${c.key}`}
            runId={runId}
            platform={c.platform}
            {...(c.target && c.target.id !== c.platform
              ? { target: c.target.id, label: c.target.label }
              : {})}
          />
        ))}
      </div>
      <details className="log" open={logs.some((l) => l.level !== 'info')}>
        <summary>Run log ({logs.length})</summary>
        <ul data-testid="run-log">
          {logs.map((l, i) => (
            <li key={i} className={`log-${l.level}`}>
              <span className="time">{new Date(l.at).toLocaleTimeString()}</span>{' '}
              {l.platform ? `[${l.platform}] ` : ''}
              {l.message}
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}
