/** Step 5: every target with its exact command lines, the estimated time, then Run. */
import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { formatSeconds } from '../components/fields';
import { useDomain, useStores } from '../stores/context';
import { SaveConfigButton } from './ConfigFiles';
import { ExpectationsSection } from './ExpectationsSection';
import { TargetCommands } from './TargetCommands';
import { WhereToRun } from './WhereToRun';
import { useDraftTargets } from './TargetSummary';

export function ReviewStep(): ReactNode {
  const { wizard, run, app, hosts } = useStores();
  const name = useDomain('wizard', (s) => s.name);
  const preview = useDomain('wizard', (s) => s.preview);
  const previewError = useDomain('wizard', (s) => s.previewError);
  const loading = useDomain('wizard', (s) => s.previewLoading);
  const runError = useDomain('run', (s) => s.error);
  const [starting, setStarting] = useState(false);
  // The same expansion (and refusal above the cap) the engine applies.
  const expansion = useDraftTargets();
  const targetCount = expansion.ok ? expansion.targets.length : 0;

  useEffect(() => {
    void wizard.getState().loadPreview();
  }, [wizard]);

  const start = async (): Promise<void> => {
    setStarting(true);
    const w = wizard.getState();
    const ok = await run
      .getState()
      .start(
        w.config(),
        w.platforms,
        w.preview?.estimatedSeconds ?? null,
        hosts.getState().where(),
      );
    setStarting(false);
    if (ok) app.getState().setView('run');
  };

  return (
    <section className="step" data-testid="wizard-step-review">
      <h2>Review</h2>
      <div className="field wide">
        <label htmlFor="experiment-name">Experiment name</label>
        <input
          id="experiment-name"
          data-testid="experiment-name"
          value={name}
          maxLength={200}
          onChange={(e) => wizard.getState().setName(e.target.value)}
        />
      </div>
      {loading ? <p className="muted">Preparing the preview…</p> : null}
      {!expansion.ok ? (
        <div className="error-box" data-testid="targets-problem">
          {expansion.message}
        </div>
      ) : null}
      {previewError && (expansion.ok || previewError !== expansion.message) ? (
        <div className="error-box" data-testid="preview-error">
          {previewError.split('\n').map((l) => (
            <div key={l}>{l}</div>
          ))}
        </div>
      ) : null}
      {preview ? (
        <>
          <div className="summary-line" data-testid="preview-estimate">
            <span data-testid="preview-target-count">
              {targetCount} target{targetCount === 1 ? '' : 's'}
            </span>{' '}
            · {preview.repetitionsTotal} repetitions · estimated{' '}
            {formatSeconds(preview.estimatedSeconds)}
          </div>
          {preview.schedule ? (
            <div className="summary-line" data-testid="preview-schedule">
              {preview.schedule.text}. The estimate includes{' '}
              {formatSeconds(preview.schedule.bootSeconds)} for the boots and starts
              {preview.schedule.pausePairs > 0
                ? ` and ${formatSeconds(preview.schedule.pauseSeconds)} for pausing and resuming`
                : ''}
              .
            </div>
          ) : null}
          {preview.notes.length > 0 ? (
            <ul className="notes">
              {preview.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          ) : null}
          <h3>Targets and their exact command lines</h3>
          {expansion.ok ? (
            <TargetCommands targets={expansion.targets} commands={preview.commands} />
          ) : null}
        </>
      ) : null}
      <ExpectationsSection />
      <WhereToRun />
      {runError ? (
        <div className="error-box" data-testid="run-error">
          {runError}
        </div>
      ) : null}
      {/* Sticky: the Run button stays on screen however long the review is. */}
      <div className="actions run-bar" data-testid="run-bar">
        {preview ? (
          <span className="muted small run-bar-summary">
            {preview.repetitionsTotal} repetitions · estimated{' '}
            {formatSeconds(preview.estimatedSeconds)}
          </span>
        ) : null}
        <SaveConfigButton />
        <button
          type="button"
          className="primary big"
          data-testid="run-start"
          disabled={starting || !preview || !expansion.ok}
          title={expansion.ok ? undefined : expansion.message}
          onClick={() => void start()}
        >
          {starting ? 'Starting…' : 'Run'}
        </button>
      </div>
    </section>
  );
}
