/** Overall and per-target progress bars (one per platform when nothing varies), the current cell and the ETA. */
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
  const targets = useDomain('run', (s) => s.targets);
  const status = useDomain('run', (s) => s.status);
  if (!progress) return <div className="progress muted">Waiting for the first repetition…</div>;
  const c = progress.current;
  // Progress is keyed by target (the platform id when nothing varies).
  const rows =
    targets.length > 0
      ? targets.map((t) => ({
          key: t.id,
          title: t.id === t.platform ? PLATFORM_INFO[t.platform as PlatformId].title : t.label,
        }))
      : platforms.map((p: PlatformId) => ({ key: p as string, title: PLATFORM_INFO[p].title }));
  const labelOf = (id: string | undefined): string | undefined =>
    targets.find((t) => t.id === id && t.id !== t.platform)?.label;
  return (
    <div className="progress">
      <div className="progress-row">
        <span className="label">Overall</span>
        <Bar done={progress.done} total={progress.total} testId="progress-overall" />
        <span className="count">
          {progress.done}/{progress.total}
        </span>
      </div>
      {rows.map(({ key, title }) => {
        const pp = progress.perPlatform[key];
        return (
          <div className="progress-row" key={key}>
            <span className="label">{title}</span>
            <Bar done={pp?.done ?? 0} total={pp?.total ?? 0} testId={`progress-${key}`} />
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
            now: {c.benchmark} on {labelOf(c.target) ?? PLATFORM_INFO[c.platform].title},{' '}
            {c.warmup ? 'warmup' : 'repetition'} {c.rep}
          </span>
        ) : null}
      </div>
    </div>
  );
}
