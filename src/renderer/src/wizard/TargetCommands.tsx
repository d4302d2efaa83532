/**
 * The review's command lines, one block per target (its label, then its exact command
 * lines), in run order.
 */
import type { ReactNode } from 'react';
import type { Preview } from '../../../shared/api';
import { PLATFORM_INFO } from '../../../shared/platforms';
import type { Target } from '../../../shared/targets';

/** Shows an argv the way a shell user would type it. */
export function quoteArgv(argv: string[]): string {
  return argv
    .map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}

/** The preview's commands of each target (a command without a target is its platform's). */
export function commandsByTarget(
  targets: readonly Pick<Target, 'id' | 'platform'>[],
  commands: Preview['commands'],
): Map<string, Preview['commands']> {
  const out = new Map<string, Preview['commands']>(targets.map((t) => [t.id, []]));
  for (const c of commands) out.get(c.target ?? c.platform)?.push(c);
  return out;
}

export function TargetCommands(props: {
  targets: readonly Target[];
  commands: Preview['commands'];
}): ReactNode {
  const grouped = commandsByTarget(props.targets, props.commands);
  return (
    <div className="commands" data-testid="preview-commands">
      {props.targets.map((t) => (
        <div key={t.id} className="target-commands" data-testid={`preview-target-${t.id}`}>
          <div className="target-title" data-testid={`preview-target-title-${t.id}`}>
            <strong>{t.id === t.platform ? PLATFORM_INFO[t.platform].title : t.label}</strong>
            {/* A variant target also says its platform and its id (its console and files). */}
            {t.id !== t.platform ? (
              <>
                {' '}
                <span className="badge muted">{PLATFORM_INFO[t.platform].title}</span>{' '}
                <code className="muted small">{t.id}</code>
              </>
            ) : null}
          </div>
          {(grouped.get(t.id) ?? []).length === 0 ? (
            <p className="muted small">No command lines (see the notes above).</p>
          ) : null}
          {(grouped.get(t.id) ?? []).map((c, i) => (
            <div key={`${t.id}-${i}`} className="command">
              <div className="command-title">{c.title}</div>
              <pre>{quoteArgv(c.argv)}</pre>
            </div>
          ))}
        </div>
      ))}
    </div>
  );
}
