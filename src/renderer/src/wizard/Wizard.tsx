/** The experiment wizard: step tabs, the current step, Back / Next. */
import type { ReactNode } from 'react';
import { useDomain, useStores } from '../stores/context';
import { STEP_TITLES, visibleSteps } from '../stores/wizardStore';
import type { StepId } from '../stores/wizardStore';
import { BenchmarksStep } from './BenchmarksStep';
import { GuestStep } from './GuestStep';
import { PlatformsStep } from './PlatformsStep';
import { RepetitionsStep } from './RepetitionsStep';
import { ReviewStep } from './ReviewStep';

const STEP_VIEWS: Record<StepId, () => ReactNode> = {
  platforms: PlatformsStep,
  guest: GuestStep,
  benchmarks: BenchmarksStep,
  repetitions: RepetitionsStep,
  review: ReviewStep,
};

export function Wizard(): ReactNode {
  const { wizard } = useStores();
  const step = useDomain('wizard', (s) => s.step);
  const platforms = useDomain('wizard', (s) => s.platforms);
  const benchmarks = useDomain('wizard', (s) => s.benchmarks);
  const steps = visibleSteps(platforms);
  const current = steps.includes(step) ? step : 'platforms';
  const index = steps.indexOf(current);
  const StepView = STEP_VIEWS[current];

  const blocker =
    current === 'platforms' && platforms.length === 0
      ? 'Choose at least one platform.'
      : current === 'benchmarks' && benchmarks.length === 0
        ? 'Choose at least one benchmark.'
        : null;

  return (
    <div className="wizard">
      <nav className="steps" aria-label="Wizard steps">
        {steps.map((s, i) => (
          <button
            key={s}
            type="button"
            data-testid={`step-${s}`}
            className={`${s === current ? 'current' : ''}${i < index ? ' done' : ''}`}
            disabled={i > index && blocker !== null}
            onClick={() => wizard.getState().goTo(s)}
          >
            <span className="num">{i + 1}</span> {STEP_TITLES[s]}
          </button>
        ))}
      </nav>
      <StepView />
      <footer className="wizard-nav">
        <button
          type="button"
          data-testid="wizard-back"
          disabled={index === 0}
          onClick={() => wizard.getState().back()}
        >
          Back
        </button>
        {blocker ? <span className="muted">{blocker}</span> : null}
        {current !== 'review' ? (
          <button
            type="button"
            className="primary"
            data-testid="wizard-next"
            disabled={blocker !== null}
            onClick={() => wizard.getState().next()}
          >
            Next: {STEP_TITLES[steps[index + 1] ?? 'review']}
          </button>
        ) : null}
      </footer>
    </div>
  );
}
