/**
 * How many targets the wizard's experiment has (platform × the compared values that
 * apply), live, with their labels — or the engine's own refusal above the cap.
 */
import type { ReactNode } from 'react';
import type { TargetExpansion } from '../../../shared/targets';
import { useDomain } from '../stores/context';
import { draftTargets } from './variantDraft';
import './wizard.css';

/** The wizard's current targets (the same expansion the runner performs). */
export function useDraftTargets(): TargetExpansion {
  const platforms = useDomain('wizard', (s) => s.platforms);
  const guest = useDomain('wizard', (s) => s.guest);
  const docker = useDomain('wizard', (s) => s.docker);
  const compare = useDomain('wizard', (s) => s.compare);
  return draftTargets(platforms, { guest, docker, compare });
}

export function TargetSummary(): ReactNode {
  const expansion = useDraftTargets();
  if (!expansion.ok)
    return (
      <div className="error-box" data-testid="targets-problem">
        {expansion.message}
      </div>
    );
  const n = expansion.targets.length;
  return (
    <div className="target-summary" data-testid="target-summary" data-count={n}>
      <span className="summary-line" data-testid="target-count">
        {n} target{n === 1 ? '' : 's'}
      </span>
      <ul className="target-labels">
        {expansion.targets.map((t) => (
          <li key={t.id} className="badge" data-testid={`target-${t.id}`}>
            {t.label}
          </li>
        ))}
      </ul>
    </div>
  );
}
