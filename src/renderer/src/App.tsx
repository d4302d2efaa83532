/** The shell of the page: header navigation and the current view. */
import { useEffect } from 'react';
import type { ReactNode } from 'react';
import { HistoryView } from './history/HistoryView';
import { HostsView } from './hosts/HostsView';
import { ResultsView } from './results/ResultsView';
import { CompareView } from './results/CompareView';
import { RunView } from './run/RunView';
import { useDomain, useStores } from './stores/context';
import type { View } from './stores/appStore';
import { Wizard } from './wizard/Wizard';

const NAV: { view: View; label: string }[] = [
  { view: 'wizard', label: 'New experiment' },
  { view: 'run', label: 'Run' },
  { view: 'results', label: 'Results' },
  { view: 'compare', label: 'Compare' },
  { view: 'history', label: 'History' },
  { view: 'hosts', label: 'Hosts' },
];

export function App(): ReactNode {
  const { app, run } = useStores();
  const view = useDomain('app', (s) => s.view);
  const host = useDomain('app', (s) => s.host);
  const version = useDomain('app', (s) => s.version);
  const transport = useDomain('app', (s) => s.transport);
  const runStatus = useDomain('run', (s) => s.status);

  useEffect(() => {
    void app.getState().loadInfo();
    void run
      .getState()
      .attach()
      .then(() => {
        if (run.getState().status === 'running') app.getState().setView('run');
      });
    // A run started elsewhere (another tab, window or script) brings its run view forward.
    return run.subscribe((s, prev) => {
      if (s.runId !== prev.runId && s.status === 'running' && prev.status !== 'starting')
        app.getState().setView('run');
    });
  }, [app, run]);

  // Every page opens at its top (the run view used to open where the Review page was scrolled).
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [view]);

  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <span className="logo">▮▮▯</span> Benchvisor
        </div>
        <nav>
          {NAV.map((n) => (
            <button
              key={n.view}
              type="button"
              data-testid={`nav-${n.view}`}
              className={view === n.view ? 'active' : ''}
              onClick={() => app.getState().setView(n.view)}
            >
              {n.label}
              {n.view === 'run' && runStatus === 'running' ? (
                <span className="dot" title="running" />
              ) : null}
            </button>
          ))}
        </nav>
        <div className="host muted small" data-testid="host-info">
          {host ?? ''} {version ? `· v${version}` : ''}{' '}
          {transport ? `· ${transport === 'ipc' ? 'desktop' : 'web mode'}` : ''}
        </div>
      </header>
      <main className="content">
        {view === 'wizard' ? <Wizard /> : null}
        {view === 'run' ? <RunView /> : null}
        {view === 'results' ? <ResultsView /> : null}
        {view === 'compare' ? <CompareView /> : null}
        {view === 'history' ? <HistoryView /> : null}
        {view === 'hosts' ? <HostsView /> : null}
      </main>
    </div>
  );
}
