/**
 * The consoles of a finished (or imported) run, from its transcripts: one button per target,
 * the chosen one shown read-only in the same terminal as the live console (console:history reads
 * the transcript's tail without the protocol lines). Closed until asked for: a run's results
 * come first, and a terminal costs memory.
 */
import { useState } from 'react';
import type { ReactNode } from 'react';
import type { RunDetail } from '../../../shared/api';
import { PLATFORM_INFO, type PlatformId } from '../../../shared/platforms';
import { targetsIn } from '../../../shared/findings/context';
import { ConsolePane } from '../run/ConsolePane';

interface ConsoleRef {
  stream: string;
  platform: PlatformId;
  target?: string;
  label: string;
}

/** The run's consoles: every target with samples, and platforms that never measured. */
export function consolesOf(detail: RunDetail): ConsoleRef[] {
  const out: ConsoleRef[] = targetsIn(detail.samples).map((t) =>
    t.id === t.platform
      ? { stream: t.id, platform: t.platform, label: PLATFORM_INFO[t.platform].title }
      : { stream: t.id, platform: t.platform, target: t.id, label: t.title },
  );
  for (const p of detail.item.platforms)
    if (!out.some((c) => c.platform === p))
      out.push({ stream: p, platform: p, label: PLATFORM_INFO[p].title });
  return out;
}

export function PastConsoles({ detail }: { detail: RunDetail }): ReactNode {
  const [shown, setShown] = useState<string | null>(null);
  const consoles = consolesOf(detail);
  if (consoles.length === 0) return null;
  const current = consoles.find((c) => c.stream === shown) ?? null;
  return (
    <details className="past-consoles" data-testid="past-consoles">
      <summary data-testid="past-consoles-toggle">
        Consoles ({consoles.length}): what each platform printed, as the run showed it
      </summary>
      <div className="past-consoles-pick" role="group" aria-label="Console">
        {consoles.map((c) => (
          <button
            key={c.stream}
            type="button"
            className={c.stream === shown ? 'selected' : ''}
            aria-pressed={c.stream === shown}
            data-testid={`past-console-open-${c.stream}`}
            onClick={() => setShown(c.stream === shown ? null : c.stream)}
          >
            {c.label}
          </button>
        ))}
      </div>
      {current ? (
        <div className="consoles n1">
          <ConsolePane
            key={`${detail.item.runId}-${current.stream}`}
            runId={detail.item.runId}
            platform={current.platform}
            label={current.label}
            live={false}
            {...(current.target ? { target: current.target } : {})}
          />
        </div>
      ) : null}
    </details>
  );
}
