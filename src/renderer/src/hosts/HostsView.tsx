/**
 * Lab hosts: machines your own ssh reaches, running `benchvisor agent`. Add one (a name, the
 * SSH destination as `ssh` takes it, optionally how Benchvisor starts there), check it (what
 * runs there, KVM with its reason, the machine), remove it.
 */
import { useEffect, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { useDomain, useStores } from '../stores/context';
import { HostCheckDetails } from './HostCheckDetails';

interface HostFieldProps {
  /** The input's id and its test id. */
  id: string;
  label: string;
  value: string;
  placeholder: string;
  /** A wider field (class "field wide"). */
  wide?: boolean;
  onChange(value: string): void;
}

/** One labelled text input of the add form. */
function HostField(props: HostFieldProps): ReactNode {
  return (
    <div className={props.wide ? 'field wide' : 'field'}>
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        data-testid={props.id}
        value={props.value}
        placeholder={props.placeholder}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </div>
  );
}

function AddHostForm(): ReactNode {
  const { hosts } = useStores();
  const [name, setName] = useState('');
  const [destination, setDestination] = useState('');
  const [command, setCommand] = useState('');
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (await hosts.getState().add(name, destination, command)) {
      setName('');
      setDestination('');
      setCommand('');
    }
  };
  return (
    <form className="host-add" data-testid="host-add" onSubmit={(e) => void submit(e)}>
      <HostField id="host-name" label="Name" value={name} placeholder="lab1" onChange={setName} />
      <HostField
        id="host-destination"
        label="SSH destination"
        value={destination}
        placeholder="an alias of ~/.ssh/config, user@host or ssh://user@host:port"
        onChange={setDestination}
      />
      <HostField
        id="host-command"
        label="Command there (optional)"
        wide
        value={command}
        placeholder="benchvisor"
        onChange={setCommand}
      />
      <button
        type="submit"
        className="primary"
        data-testid="host-add-submit"
        disabled={name.trim() === '' || destination.trim() === ''}
      >
        Add host
      </button>
    </form>
  );
}

export function HostsView(): ReactNode {
  const { hosts } = useStores();
  const entries = useDomain('hosts', (s) => s.entries);
  const checking = useDomain('hosts', (s) => s.checking);
  const error = useDomain('hosts', (s) => s.error);
  useEffect(() => {
    void hosts.getState().load();
  }, [hosts]);
  return (
    <div className="hosts-view" data-testid="hosts-view">
      <h2>Lab hosts</h2>
      <p className="muted small">
        A lab host is a machine your own <code>ssh</code> reaches without a password (your keys,
        agent, ProxyJump and known hosts apply), with Benchvisor installed there. Runs there are
        copied into this history when they end.
      </p>
      <AddHostForm />
      {error ? (
        <div className="error-box" data-testid="hosts-error">
          {error}
        </div>
      ) : null}
      {entries.length === 0 ? <div className="empty">No lab hosts yet.</div> : null}
      <ul className="host-list">
        {entries.map(({ host, check }) => (
          <li key={host.name} className="host-card" data-testid={`host-${host.name}`}>
            <div className="host-head">
              <strong>{host.name}</strong> <code>{host.destination}</code>
              {host.command ? <span className="muted small"> · {host.command}</span> : null}
              <span className="actions">
                <button
                  type="button"
                  data-testid={`host-check-${host.name}`}
                  disabled={checking.includes(host.name)}
                  onClick={() => void hosts.getState().check(host.name)}
                >
                  {checking.includes(host.name) ? 'Checking…' : 'Check'}
                </button>{' '}
                <button
                  type="button"
                  className="danger-link"
                  data-testid={`host-remove-${host.name}`}
                  onClick={() => void hosts.getState().remove(host.name)}
                >
                  Remove
                </button>
              </span>
            </div>
            {check ? (
              <HostCheckDetails check={check} />
            ) : (
              <div className="muted small">not checked yet</div>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
