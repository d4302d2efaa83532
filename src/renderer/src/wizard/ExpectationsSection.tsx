/**
 * The user's own expectations ("A ≈ B within X%", "A faster than B", a ranking), entered on the
 * Review step and checked against the results as findings (held / not held).
 */
import { useState } from 'react';
import type { ReactNode } from 'react';
import { BENCHMARK_IDS, CATALOGUE } from '../../../shared/catalogue';
import { PLATFORM_INFO } from '../../../shared/platforms';
import type { PlatformId } from '../../../shared/platforms';
import { NumberField, SelectField } from '../components/fields';
import { useDomain, useStores } from '../stores/context';
import { KIND_LABELS, describeExpectation, draftToExpectation } from './expectationDraft';
import type { ExpectationDraft, ExpectationKind } from './expectationDraft';

/** Default tolerance offered for "A ≈ B". */
const DEFAULT_WITHIN_PERCENT = 5;
const ALL_PLATFORMS = Object.keys(PLATFORM_INFO) as PlatformId[];

export function ExpectationsSection(): ReactNode {
  const { wizard } = useStores();
  const expectations = useDomain('wizard', (s) => s.expectations);
  const chosen = useDomain('wizard', (s) => s.platforms);
  const benchmarks = useDomain('wizard', (s) => s.benchmarks);
  const benchOptions = benchmarks.length > 0 ? benchmarks : BENCHMARK_IDS;
  // Platforms of this run first; the others can be named too (they are reported as not checkable).
  const platformOrder = [...chosen, ...ALL_PLATFORMS.filter((p) => !chosen.includes(p))];
  const platformOptions = platformOrder.map((p) => ({
    value: p,
    label: `${PLATFORM_INFO[p].title}${chosen.includes(p) ? '' : ' (not in this run)'}`,
  }));

  const [draft, setDraft] = useState<ExpectationDraft>(() => ({
    kind: 'approx',
    benchmark: benchOptions[0] ?? 'linpack',
    a: platformOrder[0] ?? 'native',
    b: platformOrder[1] ?? 'docker',
    withinPercent: DEFAULT_WITHIN_PERCENT,
    order: platformOrder.map((p, i) => (i < 2 ? p : '')),
  }));
  const patch = (p: Partial<ExpectationDraft>): void => setDraft((d) => ({ ...d, ...p }));
  // A benchmark dropped from the selection since the draft was made falls back to the first one.
  const benchmark = benchOptions.includes(draft.benchmark)
    ? draft.benchmark
    : (benchOptions[0] ?? draft.benchmark);
  const check = draftToExpectation({ ...draft, benchmark });

  return (
    <section className="expectations" data-testid="expectations">
      <h3>Your expectations (optional)</h3>
      <p className="muted small">
        Say what you expect; after the run each one is checked with the statistics and shown as held
        or not held, with the numbers behind it.
      </p>
      {expectations.length > 0 ? (
        <ul className="expectation-list" data-testid="expectation-list">
          {expectations.map((e, i) => (
            <li key={`${i}-${describeExpectation(e)}`} data-testid={`expectation-item-${i}`}>
              {describeExpectation(e)}{' '}
              <button
                type="button"
                className="link"
                data-testid={`expectation-remove-${i}`}
                onClick={() => wizard.getState().removeExpectation(i)}
              >
                remove
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="grid">
        <SelectField
          label="Kind"
          testId="expectation-kind"
          value={draft.kind}
          options={(Object.keys(KIND_LABELS) as ExpectationKind[]).map((k) => ({
            value: k,
            label: KIND_LABELS[k],
          }))}
          onChange={(kind) => patch({ kind })}
        />
        <SelectField
          label="Benchmark"
          testId="expectation-benchmark"
          value={benchmark}
          options={benchOptions.map((b) => ({ value: b, label: CATALOGUE[b].title }))}
          onChange={(b) => patch({ benchmark: b })}
        />
        {draft.kind !== 'ranking' ? (
          <>
            <SelectField
              label="A"
              testId="expectation-a"
              value={draft.a}
              options={platformOptions}
              onChange={(a) => patch({ a })}
            />
            <SelectField
              label="B"
              testId="expectation-b"
              value={draft.b}
              options={platformOptions}
              onChange={(b) => patch({ b })}
            />
          </>
        ) : (
          draft.order.map((slot, i) => (
            <SelectField<PlatformId | ''>
              key={i}
              label={i === 0 ? '1st (fastest)' : `${i + 1}.`}
              testId={`expectation-rank-${i}`}
              value={slot}
              options={[{ value: '', label: '—' }, ...platformOptions]}
              onChange={(p) => patch({ order: draft.order.map((x, j) => (j === i ? p : x)) })}
            />
          ))
        )}
        {draft.kind === 'approx' ? (
          <NumberField
            label="Within"
            unit="%"
            testId="expectation-within"
            value={draft.withinPercent}
            min={0.01}
            max={1000}
            onChange={(v) => patch({ withinPercent: v })}
          />
        ) : null}
      </div>
      <div className="toolbar">
        <button
          type="button"
          data-testid="expectation-add"
          disabled={!check.ok}
          onClick={() => {
            if (check.ok) wizard.getState().addExpectation(check.expectation);
          }}
        >
          Add expectation
        </button>
        {check.ok ? (
          <span className="muted small" data-testid="expectation-preview">
            {describeExpectation(check.expectation)}
          </span>
        ) : (
          <span className="field-error" data-testid="expectation-problem">
            {check.message}
          </span>
        )}
      </div>
    </section>
  );
}
