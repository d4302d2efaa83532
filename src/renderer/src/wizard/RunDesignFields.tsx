/** The Repetitions step's run design: order (with why), instances per target, the A/A control. */
import type { ReactNode } from 'react';
import { MAX_INSTANCES, type RunOrder } from '../../../shared/config';
import { DEFAULT_COMPARED_INSTANCES } from '../../../shared/runDesign';
import { NumberField } from '../components/fields';
import { useDomain, useStores } from '../stores/context';

/** One line of why, per order. */
const ORDER_REASON: Record<RunOrder, string> = {
  interleaved:
    'Every target is started first; rounds measure each once in a random order while the others are paused, so the host’s drift hits all alike and ratios are paired by round.',
  sequential:
    'Each target runs all its repetitions before the next starts: needs room for one target at a time, but order and time are confounded with every comparison.',
};

export function RunDesignFields(): ReactNode {
  const { wizard } = useStores();
  const r = useDomain('wizard', (s) => s.repetitions);
  const set = wizard.getState().setRepetitions;
  return (
    <div className="run-design" data-testid="reps-design">
      <label>
        Order{' '}
        <select
          data-testid="reps-order"
          value={r.order}
          onChange={(e) => set({ order: e.target.value as RunOrder })}
        >
          <option value="interleaved">Interleaved rounds (recommended)</option>
          <option value="sequential">Sequential (one target after another)</option>
        </select>
      </label>
      <p className="hint" data-testid="reps-order-reason">
        {ORDER_REASON[r.order]}
      </p>
      <NumberField
        label="Instances per target"
        testId="reps-instances"
        value={r.instances}
        integer
        min={1}
        max={MAX_INSTANCES}
        optional
        placeholder={`auto (${DEFAULT_COMPARED_INSTANCES} for compared guests and containers)`}
        onChange={(v) => set({ instances: v })}
      />
      <label className="inline">
        <input
          type="checkbox"
          data-testid="reps-control"
          checked={r.control}
          onChange={(e) => set({ control: e.target.checked })}
        />
        A/A control: measure the reference target twice (a twin), to see how far this host lets
        identical systems drift apart
      </label>
    </div>
  );
}
