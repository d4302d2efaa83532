/** Step 1: which platforms, with availability and reasons from the preflight (doctor). */
import { useEffect } from 'react';
import type { ReactNode } from 'react';
import { CATALOGUE, type BenchmarkId } from '../../../shared/catalogue';
import { PLATFORM_INFO } from '../../../shared/platforms';
import type { DoctorPlatform, PlatformId } from '../../../shared/platforms';
import { useDomain, useStores } from '../stores/context';
import { LoadConfigButton } from './ConfigFiles';
import { PresetPicker } from './PresetPicker';

function AvailabilityNote({ entry }: { entry: DoctorPlatform | undefined }): ReactNode {
  if (!entry) return <span className="badge muted">checking…</span>;
  const a = entry.availability;
  const notApplicable = Object.entries(entry.benchmarks).filter(([, b]) => !b.available);
  return (
    <div className="availability">
      <span
        className={`badge ${a.available ? 'ok' : 'bad'}`}
        data-testid={`platform-status-${entry.id}`}
      >
        {a.available ? 'available' : 'unavailable'}
      </span>
      {a.reason ? <div className="reason">{a.reason}</div> : null}
      {a.fix && !a.available ? <div className="fix">Fix: {a.fix}</div> : null}
      {a.available && notApplicable.length > 0 ? (
        <ul className="not-applicable">
          {notApplicable.map(([id, b]) => (
            <li key={id} data-testid={`not-applicable-${entry.id}-${id}`}>
              {/* The reason starts "not applicable: …" when a capability is missing. */}
              {CATALOGUE[id as BenchmarkId]?.title ?? id}: {b.reason ?? 'unavailable'}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function PlatformsStep(): ReactNode {
  const { doctor, wizard } = useStores();
  const report = useDomain('doctor', (s) => s.report);
  const loading = useDomain('doctor', (s) => s.loading);
  const error = useDomain('doctor', (s) => s.error);
  const chosen = useDomain('wizard', (s) => s.platforms);
  const skipUnavailable = useDomain('wizard', (s) => s.skipUnavailable);

  useEffect(() => {
    if (!doctor.getState().report && !doctor.getState().loading)
      void doctor.getState().check(false);
  }, [doctor]);

  const ids = Object.keys(PLATFORM_INFO) as PlatformId[];
  return (
    <section className="step" data-testid="wizard-step-platforms">
      <h2>Where should the benchmarks run?</h2>
      <p className="lead">
        Native is the reference every other platform is compared with. Unavailable platforms say
        why.
      </p>
      <PresetPicker />
      <div className="toolbar">
        <button
          type="button"
          data-testid="doctor-refresh"
          onClick={() => void doctor.getState().check(true)}
          disabled={loading}
        >
          {loading ? 'Checking…' : 'Check again'}
        </button>
        <LoadConfigButton />
        {report ? (
          <span className="muted small">
            checked {new Date(report.checkedAt).toLocaleTimeString()}
          </span>
        ) : null}
      </div>
      {error ? <div className="error-box">Preflight failed: {error}</div> : null}
      <div className="cards">
        {ids.map((id) => {
          const info = PLATFORM_INFO[id];
          const entry = report?.platforms.find((p) => p.id === id);
          const available = entry?.availability.available ?? false;
          const selectable = available || skipUnavailable;
          return (
            <label
              key={id}
              className={`card platform${chosen.includes(id) ? ' selected' : ''}${selectable ? '' : ' disabled'}`}
            >
              <div className="card-head">
                <input
                  type="checkbox"
                  data-testid={`platform-${id}`}
                  checked={chosen.includes(id)}
                  disabled={!selectable && !chosen.includes(id)}
                  onChange={(e) => wizard.getState().togglePlatform(id, e.target.checked)}
                />
                <strong>{info.title}</strong>
              </div>
              <div className="card-body">
                <p>{info.description}</p>
                <AvailabilityNote entry={entry} />
              </div>
            </label>
          );
        })}
      </div>
      <label className="inline">
        <input
          type="checkbox"
          data-testid="skip-unavailable"
          checked={skipUnavailable}
          onChange={(e) => wizard.getState().setSkipUnavailable(e.target.checked)}
        />
        Allow unavailable platforms (they are skipped and the reason is recorded)
      </label>
    </section>
  );
}
