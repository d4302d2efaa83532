/**
 * One platform's live console: xterm.js with fit and search. Output arrives as console:data
 * batches; each is acknowledged (console:ack) once xterm has rendered it, which is what lets
 * the Node side pause and resume (flow control). Typing goes to the process (console:write).
 */
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { ConsoleDataEvent } from '../../../shared/run';
import { PLATFORM_INFO } from '../../../shared/platforms';
import type { PlatformId } from '../../../shared/platforms';
import { useDomain, useStores } from '../stores/context';
import type { PlatformKind } from '../../../shared/platforms';

/** What a console says before its first byte (a guest boots for seconds without a word). */
const WAITING: Record<PlatformKind, string> = {
  vm: 'booting guest…',
  container: 'starting container…',
  host: 'waiting for output…',
};

/** Lines kept in each terminal's scrollback. */
const SCROLLBACK_LINES = 20000;

/** Why a paused target's console is still there. */
const PAUSED_HINT =
  'Paused between its repetitions (interleaved order): its output stays readable here, and what you type reaches it when it resumes.';

export function ConsolePane({
  runId,
  platform,
  target,
  label,
  live = true,
}: {
  runId: string;
  platform: PlatformId;
  /** The target (platform × variant values) when the run varies this platform's shape. */
  target?: string;
  label?: string;
  /** false: a past run's console (its transcript, read-only: no typing, nothing to wait for). */
  live?: boolean;
}): ReactNode {
  // The stream this pane shows: the target's, else the platform's.
  const stream = target ?? platform;
  const { api, run } = useStores();
  const boxRef = useRef<HTMLDivElement>(null);
  const paneRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<SearchAddon | null>(null);
  const [query, setQuery] = useState('');
  const [heard, setHeard] = useState(false);
  const status = useDomain('run', (s) => s.status);
  const state = useDomain('run', (s) => s.progress?.states?.[stream]);

  useEffect(() => {
    const box = boxRef.current;
    const pane = paneRef.current;
    if (!box || !pane) return;
    const which = target ? { target } : {};
    const term = new Terminal({
      scrollback: SCROLLBACK_LINES,
      fontSize: 12,
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, monospace',
      theme: { background: '#0f1420', foreground: '#d8dee9', cursor: '#88c0d0' },
      allowProposedApi: true,
      disableStdin: !live,
    });
    const fit = new FitAddon();
    const search = new SearchAddon();
    term.loadAddon(fit);
    term.loadAddon(search);
    term.open(box);
    searchRef.current = search;
    const refit = (): void => {
      try {
        fit.fit();
      } catch {
        /* not laid out yet */
      }
    };
    refit();

    /** Stream offset rendered so far; -1 until the history arrived. */
    let rendered = -1;
    let disposed = false;
    let liveBytes = 0;
    const early: ConsoleDataEvent[] = [];
    const show = (): void => {
      pane.dataset['offset'] = String(rendered);
      pane.dataset['liveBytes'] = String(liveBytes);
    };
    const write = (e: ConsoleDataEvent): void => {
      if (e.offset <= rendered) return; // already part of the history
      if (e.data) setHeard(true);
      const size = e.offset - rendered;
      rendered = e.offset;
      term.write(e.data, () => {
        if (disposed) return;
        if (run.getState().status === 'running') liveBytes += size;
        show();
        void api.call('console:ack', { runId, platform, ...which, offset: e.offset });
      });
    };
    const off = api.on('console:data', (e) => {
      if (e.runId !== runId || (e.target ?? e.platform) !== stream) return;
      if (rendered < 0) early.push(e);
      else write(e);
    });
    void api.call('console:history', { runId, platform, ...which }).then((res) => {
      if (disposed) return;
      const start = res.ok ? res.value.offset : 0;
      if (res.ok && res.value.data) {
        term.write(res.value.data);
        setHeard(true);
      }
      rendered = start;
      for (const e of early.splice(0)) write(e);
      pane.dataset['ready'] = 'true';
      show();
    });
    const input = live
      ? term.onData((data) => void api.call('console:write', { runId, platform, ...which, data }))
      : null;
    const observer = new ResizeObserver(refit);
    observer.observe(box);
    return () => {
      disposed = true;
      off();
      input?.dispose();
      observer.disconnect();
      searchRef.current = null;
      term.dispose();
    };
  }, [api, run, runId, platform, target, stream, live]);

  const find = (forward: boolean): void => {
    const s = searchRef.current;
    if (!s || !query) return;
    if (forward) s.findNext(query);
    else s.findPrevious(query);
  };

  return (
    <div
      className="console-pane"
      ref={paneRef}
      data-testid={`console-${stream}`}
      data-offset="-1"
      data-live-bytes="0"
    >
      <div className="console-head">
        <strong>{label ?? PLATFORM_INFO[platform].title}</strong>
        {state && status === 'running' ? (
          <span
            className={`badge target-state state-${state}`}
            data-testid={`console-state-${stream}`}
            title={state === 'paused' ? PAUSED_HINT : undefined}
          >
            {state}
          </span>
        ) : null}
        {live && !heard && status === 'running' ? (
          <span className="muted small" data-testid={`console-waiting-${stream}`}>
            {WAITING[PLATFORM_INFO[platform].kind]}
          </span>
        ) : null}
        <div className="console-search">
          <input
            type="search"
            placeholder="Search output"
            data-testid={`console-search-${stream}`}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') find(!e.shiftKey);
            }}
          />
          <button
            type="button"
            data-testid={`console-search-prev-${stream}`}
            onClick={() => find(false)}
            title="Previous match"
          >
            ↑
          </button>
          <button
            type="button"
            data-testid={`console-search-next-${stream}`}
            onClick={() => find(true)}
            title="Next match"
          >
            ↓
          </button>
        </div>
      </div>
      <div className="console-box" ref={boxRef} data-testid={`console-terminal-${stream}`} />
    </div>
  );
}
