/**
 * The user's own expectations ("A ≈ B within X%", "A faster/slower than B by at least X%", a
 * ranking), entered on the Review step and checked against the results as findings (held / not
 * held). A and B name a platform, or in an experiment with variants one of its targets
 * ("qcow2 ≥ 10% slower than raw on Disk write").
 */
import { useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { BENCHMARK_IDS, CATALOGUE } from '../../../shared/catalogue';
import { parseExperimentConfig } from '../../../shared/config';
import { PLATFORM_INFO } from '../../../shared/platforms';
import type { PlatformId } from '../../../shared/platforms';
import { expandTargets } from '../../../shared/targets';
import { NumberField, SelectField } from '../components/fields';
import { useDomain, useStores } from '../stores/context';
import {
  KIND_LABELS,
  describeExpectation,
  draftToExpectation,
  uncheckableReason,
} from './expectationDraft';
import type { ExpectationDraft, ExpectationKind } from './expectationDraft';

/** Default tolerance offered for "A ≈ B". */
const DEFAULT_WITHIN_PERCENT = 5;
const ALL_PLATFORMS = Object.keys(PLATFORM_INFO) as PlatformId[];

interface SubjectOption {
  value: string;
  label: string;
}

/**
 * What A and B can name: each target of the experiment the wizard describes (a platform that
 * runs as several targets offers those, by label), then the platforms not in this run (reported
 * as not checkable). Falls back to the chosen platforms while the config does not parse.
 */
function subjectOptions(
  config: unknown,
  chosen: readonly PlatformId[],
): { options: SubjectOption[]; inRun: string[] } {
  const parsed = parseExperimentConfig(config);
  const expanded = parsed.ok ? expandTargets(parsed.config) : null;
  const inRun =
    expanded && expanded.ok
      ? expanded.targets.map((t) => ({
          value: t.id,
          label: t.id === t.platform ? PLATFORM_INFO[t.platform].title : t.label,
        }))
      : chosen.map((p) => ({ value: p as string, label: PLATFORM_INFO[p].title }));
  const others = ALL_PLATFORMS.filter((p) => !chosen.includes(p)).map((p) => ({
    value: p as string,
    label: `${PLATFORM_INFO[p].title} (not in this run)`,
  }));
  return { options: [...inRun, ...others], inRun: inRun.map((o) => o.value) };
}

export function ExpectationsSection(): ReactNode {
  const { wizard } = useStores();
  const expectations = useDomain('wizard', (s) => s.expectations);
  const chosen = useDomain('wizard', (s) => s.platforms);
  const benchmarks = useDomain('wizard', (s) => s.benchmarks);
  const benchOptions = benchmarks.length > 0 ? benchmarks : BENCHMARK_IDS;
  // Re-read whenever the wizard's state changes (platforms, variant lists).
  const state = useDomain('wizard', (s) => s);
  const { options: platformOptions, inRun } = useMemo(
    () => subjectOptions(wizard.getState().config(), chosen),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [state, chosen],
  );
  const values = platformOptions.map((o) => o.value);
  const stale = expectations.map((e) =>
    uncheckableReason(e, { targets: inRun, platforms: chosen, benchmarks }),
  );

  const [draft, setDraft] = useState<ExpectationDraft>(() => ({
    kind: 'approx',
    benchmark: benchOptions[0] ?? 'linpack',
    a: values[0] ?? 'native',
    b: values[1] ?? 'docker',
    withinPercent: DEFAULT_WITHIN_PERCENT,
    marginPercent: null,
    order: values.map((p, i) => (i < 2 ? p : '')),
  }));
  const patch = (p: Partial<ExpectationDraft>): void => setDraft((d) => ({ ...d, ...p }));
  // A target dropped from the experiment since the draft was made falls back to the first ones.
  const pick = (v: string, i: number): string =>
    values.includes(v) ? v : (inRun[i] ?? values[i] ?? v);
  const a = pick(draft.a, 0);
  const b = pick(draft.b, 1);
  // A benchmark dropped from the selection since the draft was made falls back to the first one.
  const benchmark = benchOptions.includes(draft.benchmark)
    ? draft.benchmark
    : (benchOptions[0] ?? draft.benchmark);
  // One ranking slot per platform or target; a slot naming one that left the experiment is empty.
  const slots = values.map((_, i) => {
    const slot = draft.order[i] ?? '';
    return values.includes(slot) ? slot : '';
  });
  const check = draftToExpectation({ ...draft, a, b, benchmark, order: slots });

  return (
    <section className="expectations" data-testid="expectations">
      <h3>Your expectations (optional)</h3>
      <p className="muted small">
        Say what you expect; after the run each one is checked with the statistics and shown as held
        or not held, with the numbers behind it.
      </p>
      {stale.some((r) => r !== null) ? (
        <div className="warn-box" data-testid="expectations-stale">
          {stale.filter((r) => r !== null).length} of your expectations cannot be checked by this
          experiment (kept from an earlier one, or its platforms or benchmarks changed).{' '}
          <button
            type="button"
            className="link"
            data-testid="expectation-remove-stale"
            onClick={() =>
              wizard.getState().setExpectations(expectations.filter((_, i) => stale[i] === null))
            }
          >
            Remove them
          </button>
        </div>
      ) : null}
      {expectations.length > 0 ? (
        <ul className="expectation-list" data-testid="expectation-list">
          {expectations.map((e, i) => (
            <li key={`${i}-${describeExpectation(e)}`} data-testid={`expectation-item-${i}`}>
              {describeExpectation(e)}{' '}
              {stale[i] ? (
                <span className="field-error" data-testid={`expectation-stale-${i}`}>
                  cannot be checked: {stale[i]}
                </span>
              ) : null}{' '}
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
              value={a}
              options={platformOptions}
              onChange={(a) => patch({ a })}
            />
            <SelectField
              label="B"
              testId="expectation-b"
              value={b}
              options={platformOptions}
              onChange={(b) => patch({ b })}
            />
          </>
        ) : (
          slots.map((slot, i) => (
            <SelectField<string>
              key={i}
              label={i === 0 ? '1st (fastest)' : `${i + 1}.`}
              testId={`expectation-rank-${i}`}
              value={slot}
              options={[{ value: '', label: '—' }, ...platformOptions]}
              onChange={(p) => patch({ order: slots.map((x, j) => (j === i ? p : x)) })}
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
        {draft.kind === 'faster' || draft.kind === 'slower' ? (
          <NumberField
            label="By at least (optional)"
            unit="%"
            testId="expectation-margin"
            value={draft.marginPercent ?? null}
            min={0.01}
            max={1000}
            optional
            help="Empty: any difference the data shows counts."
            onChange={(v) => patch({ marginPercent: v })}
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
