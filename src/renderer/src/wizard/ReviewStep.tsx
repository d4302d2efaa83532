/** Step 5: the exact command lines, the estimated time, then Run. */
import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { PLATFORM_INFO } from '../../../shared/platforms';
import { formatSeconds } from '../components/fields';
import { useDomain, useStores } from '../stores/context';
import { SaveConfigButton } from './ConfigFiles';
import { ExpectationsSection } from './ExpectationsSection';

/** Shows an argv the way a shell user would type it. */
export function quoteArgv(argv: string[]): string {
  return argv
    .map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}

export function ReviewStep(): ReactNode {
  const { wizard, run, app } = useStores();
  const name = useDomain('wizard', (s) => s.name);
  const preview = useDomain('wizard', (s) => s.preview);
  const previewError = useDomain('wizard', (s) => s.previewError);
  const loading = useDomain('wizard', (s) => s.previewLoading);
  const runError = useDomain('run', (s) => s.error);
  const [starting, setStarting] = useState(false);

  useEffect(() => {
    void wizard.getState().loadPreview();
  }, [wizard]);

  const start = async (): Promise<void> => {
    setStarting(true);
    const w = wizard.getState();
    const ok = await run.getState().start(w.config(), w.platforms);
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
      {previewError ? (
        <div className="error-box" data-testid="preview-error">
          {previewError.split('\n').map((l) => (
            <div key={l}>{l}</div>
          ))}
        </div>
      ) : null}
      {preview ? (
        <>
          <div className="summary-line" data-testid="preview-estimate">
            {preview.repetitionsTotal} repetitions · estimated{' '}
            {formatSeconds(preview.estimatedSeconds)}
          </div>
          {preview.notes.length > 0 ? (
            <ul className="notes">
              {preview.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          ) : null}
          <h3>Exact command lines</h3>
          <div className="commands" data-testid="preview-commands">
            {preview.commands.map((c, i) => (
              <div key={`${c.platform}-${i}`} className="command">
                <div className="command-title">
                  <span className="badge">{PLATFORM_INFO[c.platform].title}</span> {c.title}
                </div>
                <pre>{quoteArgv(c.argv)}</pre>
              </div>
            ))}
          </div>
        </>
      ) : null}
      <ExpectationsSection />
      {runError ? (
        <div className="error-box" data-testid="run-error">
          {runError}
        </div>
      ) : null}
      <div className="actions">
        <SaveConfigButton />
        <button
          type="button"
          className="primary big"
          data-testid="run-start"
          disabled={starting || !preview}
          onClick={() => void start()}
        >
          {starting ? 'Starting…' : 'Run'}
        </button>
      </div>
    </section>
  );
}
