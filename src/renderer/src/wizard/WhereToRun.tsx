/** Review: where the run goes — this machine and/or lab hosts that passed their check. */
import { useEffect } from 'react';
import type { ReactNode } from 'react';
import { offeredPlatforms, kvmLine } from '../hosts/HostCheckDetails';
import { useDomain, useStores } from '../stores/context';

export function WhereToRun(): ReactNode {
  const { hosts, app } = useStores();
  const entries = useDomain('hosts', (s) => s.entries);
  const here = useDomain('hosts', (s) => s.here);
  const chosen = useDomain('hosts', (s) => s.chosen);
  const machine = useDomain('app', (s) => s.host);
  useEffect(() => {
    void hosts.getState().load();
  }, [hosts]);
  if (entries.length === 0) return null;
  return (
    <fieldset className="where-to-run" data-testid="where-to-run">
      <legend>Where to run</legend>
      <label>
        <input
          type="checkbox"
          data-testid="where-here"
          checked={here}
          disabled={chosen.length === 0}
          onChange={(e) => hosts.getState().setHere(e.target.checked)}
        />{' '}
        This machine <span className="muted small">{machine ?? ''}</span>
      </label>
      {entries.map(({ host, check }) => (
        <label key={host.name} className={check?.ok ? '' : 'muted'}>
          <input
            type="checkbox"
            data-testid={`where-host-${host.name}`}
            checked={chosen.includes(host.name)}
            disabled={!check?.ok}
            onChange={() => hosts.getState().toggleHost(host.name)}
          />{' '}
          {host.name}{' '}
          <span className="muted small" data-testid={`where-offers-${host.name}`}>
            {check?.ok
              ? `${check.facts ? `${check.facts.cpuModel}, ${check.facts.cores} cores · ` : ''}${offeredPlatforms(check).join(', ')} · ${kvmLine(check)}`
              : check
                ? `not usable: ${check.problem?.message ?? 'the check failed'}`
                : 'not checked yet'}
          </span>
          {!check?.ok ? (
            <button type="button" className="link" onClick={() => app.getState().setView('hosts')}>
              check it in Hosts
            </button>
          ) : null}
        </label>
      ))}
      {chosen.length > 0 ? (
        <p className="muted small" data-testid="where-summary">
          Runs on {[...(here ? ['this machine'] : []), ...chosen].join(', ')} in parallel; each
          host’s run is copied into this history when it ends
          {chosen.length + (here ? 1 : 0) > 1 ? ', and they open as one comparison by host' : ''}.
        </p>
      ) : null}
    </fieldset>
  );
}
