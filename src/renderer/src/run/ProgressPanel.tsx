/** Overall and per-target progress bars (one per platform when nothing varies), the current cell and the ETA. */
import { useEffect, useState } from 'react';
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

/** How often the elapsed time ticks between the engine's progress events (a boot sends none). */
const TICK_MS = 1000;

/** The local clock, ticking while `on`. */
function useNow(on: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!on) return undefined;
    const t = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(t);
  }, [on]);
  return now;
}

export function ProgressPanel(): ReactNode {
  const progress = useDomain('run', (s) => s.progress);
  const platforms = useDomain('run', (s) => s.platforms);
  const targets = useDomain('run', (s) => s.targets);
  const status = useDomain('run', (s) => s.status);
  const progressAt = useDomain('run', (s) => s.progressAtMs);
  const startedAt = useDomain('run', (s) => s.startedAtMs);
  const running = status === 'running' || status === 'starting';
  const now = useNow(running);
  if (!progress)
    return (
      <div className="progress muted" data-testid="run-preparing">
        Preparing the targets (building images, booting guests…)
        {startedAt !== null && running ? (
          <span data-testid="run-elapsed">
            {' '}
            · elapsed {formatSeconds((now - startedAt) / 1000)}
          </span>
        ) : null}
      </div>
    );
  // The engine reports progress per repetition; between reports (a guest booting) the elapsed
  // time keeps ticking on the local clock.
  const sinceReport = running && progressAt !== null ? Math.max(0, now - progressAt) : 0;
  const elapsedMs = progress.elapsedMs + sinceReport;
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
        const pp = progress.perTarget[key];
        const state = running ? progress.states?.[key] : undefined;
        return (
          <div className="progress-row" key={key}>
            <span className="label">
              {title}
              {state ? (
                <span
                  className={`badge target-state state-${state}`}
                  data-testid={`target-state-${key}`}
                >
                  {state}
                </span>
              ) : null}
            </span>
            <Bar done={pp?.done ?? 0} total={pp?.total ?? 0} testId={`progress-${key}`} />
            <span className="count">
              {pp?.done ?? 0}/{pp?.total ?? 0}
            </span>
          </div>
        );
      })}
      <div className="progress-facts">
        <span data-testid="run-elapsed">elapsed {formatSeconds(elapsedMs / 1000)}</span>
        {status === 'running' ? (
          <span data-testid="run-eta">
            {progress.etaMs === null
              ? 'ETA after the first repetition'
              : `ETA ${formatSeconds(Math.max(0, progress.etaMs - sinceReport) / 1000)}`}
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
