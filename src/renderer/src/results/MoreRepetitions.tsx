/**
 * "Run N more repetitions" of the run on the results page (run:more): N more measured
 * repetitions per cell on the same targets with the same config, appended to this run; the run
 * view follows them and the results, reopened, are made from all samples. Offered for finished
 * runs of this machine; a refusal (targets gone, a run in progress) is said here, in words.
 */
import { useState } from 'react';
import type { ReactNode } from 'react';
import { MAX_MORE_REPETITIONS } from '../../../shared/api';
import type { RunListItem } from '../../../shared/run';
import { useStores } from '../stores/context';

/** Repetitions the field starts at. */
const DEFAULT_MORE = 3;

/** Why a run cannot get more repetitions here, or null when it can. */
function notExtendable(item: RunListItem): string | null {
  if (item.imported) return 'imported: its targets are on the machine that measured it';
  if (item.host !== undefined) return `measured on the lab host ${item.host}`;
  if (item.status === 'running') return 'still running';
  if (item.status === 'interrupted') return 'interrupted (its process ended without closing it)';
  return null;
}

export function MoreRepetitions({ item }: { item: RunListItem }): ReactNode {
  const { run, app } = useStores();
  const [count, setCount] = useState(String(DEFAULT_MORE));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const why = notExtendable(item);
  if (why !== null) return null;
  const n = Number(count);
  const valid = Number.isInteger(n) && n >= 1 && n <= MAX_MORE_REPETITIONS;
  const go = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    const refused = await run.getState().runMore(item.runId, n);
    setBusy(false);
    if (refused === null) app.getState().setView('run');
    else setError(refused);
  };
  return (
    <div className="bundle-action more-repetitions" data-testid="more-repetitions">
      <label className="small">
        Repetitions to add per cell{' '}
        <input
          type="number"
          min={1}
          max={MAX_MORE_REPETITIONS}
          value={count}
          aria-label="Repetitions to add per cell"
          data-testid="more-count"
          onChange={(e) => setCount(e.target.value)}
          style={{ width: '5em' }}
        />
      </label>
      <button
        type="button"
        data-testid="more-run"
        disabled={!valid || busy}
        title="Same targets, same config: the new samples are added to this run and its statistics and findings are remade from all of them"
        onClick={() => void go()}
      >
        {busy ? 'Starting…' : `Run ${valid ? n : 'N'} more`}
      </button>
      {!valid ? (
        <span className="banner warn small">a whole number from 1 to {MAX_MORE_REPETITIONS}</span>
      ) : null}
      {error ? (
        <span className="banner warn small" role="alert" data-testid="more-error">
          Not started: {error}
        </span>
      ) : null}
    </div>
  );
}
