/** Overall and per-platform progress bars, the current cell and the ETA. */
import type { ReactNode } from 'react';
import { PLATFORM_INFO } from '../../../shared/platforms';
import type { PlatformId } from '../../../shared/platforms';
import { formatSeconds } from '../components/fields';
import { useDomain } from '../stores/context';

function Bar({ done, total, testId }: { done: number; total: number; testId: string }): ReactNode {
  const pct = total > 0 ? Math.min(100, (done / total) * 100) : 0;
  return (
    <div
      className="bar"
      data-testid={testId}
      data-done={done}
      data-total={total}
      role="progressbar"
      aria-valuenow={Math.round(pct)}
    >
      <div className="bar-fill" style={{ width: `${pct}%` }} />
    </div>
  );
}

export function ProgressPanel(): ReactNode {
  const progress = useDomain('run', (s) => s.progress);
  const platforms = useDomain('run', (s) => s.platforms);
  const status = useDomain('run', (s) => s.status);
  if (!progress) return <div className="progress muted">Waiting for the first repetition…</div>;
  const c = progress.current;
  return (
    <div className="progress">
      <div className="progress-row">
        <span className="label">Overall</span>
        <Bar done={progress.done} total={progress.total} testId="progress-overall" />
        <span className="count">
          {progress.done}/{progress.total}
        </span>
      </div>
      {platforms.map((p: PlatformId) => {
        const pp = progress.perPlatform[p];
        return (
          <div className="progress-row" key={p}>
            <span className="label">{PLATFORM_INFO[p].title}</span>
            <Bar done={pp?.done ?? 0} total={pp?.total ?? 0} testId={`progress-${p}`} />
            <span className="count">
              {pp?.done ?? 0}/{pp?.total ?? 0}
            </span>
          </div>
        );
      })}
      <div className="progress-facts">
        <span data-testid="run-elapsed">elapsed {formatSeconds(progress.elapsedMs / 1000)}</span>
        {status === 'running' ? (
          <span data-testid="run-eta">
            {progress.etaMs === null
              ? 'ETA after the first repetition'
              : `ETA ${formatSeconds(progress.etaMs / 1000)}`}
          </span>
        ) : null}
        {c && status === 'running' ? (
          <span data-testid="run-current">
            now: {c.benchmark} on {PLATFORM_INFO[c.platform].title},{' '}
            {c.warmup ? 'warmup' : 'repetition'} {c.rep}
          </span>
        ) : null}
      </div>
    </div>
  );
}
