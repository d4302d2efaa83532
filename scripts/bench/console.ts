/**
 * Console throughput: 20 MB of pty output (node-pty running a small node script, argv only)
 * goes through the real path — ApiService console batching and flow control, the web server's
 * WebSocket, the renderer's xterm.js terminal in headless Chromium with acks — and the bytes
 * the terminal rendered are checked against the bytes the pty produced. Prints MB/s.
 * Needs the built UI (`npm run build`) and Debian's Chromium.
 */
import { chromium } from '@playwright/test';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as pty from 'node-pty';
import { ApiService } from '../../src/main/api/service';
import type { RunEventSink, ServiceDeps } from '../../src/main/api/serviceDeps';
import { ProcessTracker } from '../../src/main/process/tracker';
import { startWebServer } from '../../src/main/web/server';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../e2e/chromium';

/** Bytes the child process writes (the pty turns each \n into \r\n on the way). */
const OUTPUT_BYTES = 20_000_000;
/** Give up when the terminal has not caught up after this long. */
const TIMEOUT_MS = 10 * 60_000;

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Writes OUTPUT_BYTES of base64 lines to stdout, synchronously (the pty applies backpressure). */
const WRITER_SCRIPT = `
const fs = require('fs'), crypto = require('crypto');
const total = ${OUTPUT_BYTES};
let sent = 0;
while (sent < total) {
  const lines = [];
  for (let i = 0; i < 800; i++) lines.push(crypto.randomBytes(57).toString('base64'));
  let block = Buffer.from(lines.join('\\n') + '\\n');
  if (block.length > total - sent) block = block.subarray(0, total - sent);
  let off = 0;
  while (off < block.length) {
    try { off += fs.writeSync(1, block, off); } catch (e) { if (e.code !== 'EAGAIN') throw e; }
  }
  sent += block.length;
}
`;

export async function run(): Promise<void> {
  const staticDir = join(ROOT, 'out', 'renderer');
  if (!existsSync(join(staticDir, 'index.html'))) {
    console.log('console throughput: skipped (the UI is not built: run `npm run build`)');
    return;
  }
  if (!existsSync(CHROMIUM_PATH)) {
    console.log(`console throughput: skipped (no Chromium at ${CHROMIUM_PATH})`);
    return;
  }
  const tracker = new ProcessTracker();
  let events: RunEventSink | null = null;
  let offset = 0;
  let go: () => Promise<{ ptyBytes: number; ms: number }> = async () => ({ ptyBytes: 0, ms: 0 });

  const deps: ServiceDeps = {
    version: 'bench',
    runsDir: '/dev/null',
    exportsDir: '/dev/null',
    uploadsDir: '/dev/null',
    host: { cpuModel: 'bench', cores: 1, memoryMiB: 1 },
    listRuns: async () => [],
    getRun: async () => null,
    deleteRun: async () => false,
    engine: {
      doctor: async () => ({ checkedAt: new Date().toISOString(), platforms: [] }),
      preview: async () => ({ commands: [], estimatedSeconds: 0, repetitionsTotal: 0, notes: [] }),
      cancel: () => {
        void tracker.killAll();
        return true;
      },
      write: () => false,
      ack: () => {},
      more: async () => {
        throw new Error('not in this bench');
      },
      start: async (_config, sink) => {
        events = sink;
        const runId = 'console-bench';
        go = () =>
          new Promise((resolveGo) => {
            const started = performance.now();
            let ptyBytes = 0;
            const term = pty.spawn(process.execPath, ['-e', WRITER_SCRIPT], {
              cols: 120,
              rows: 30,
              cwd: ROOT,
            });
            const untrack = tracker.track({
              label: 'console bench writer',
              kill: () => term.kill('SIGKILL'),
            });
            term.onData((d) => {
              ptyBytes += Buffer.byteLength(d, 'utf8');
              offset += Buffer.byteLength(d, 'utf8');
              events?.({
                event: 'console:data',
                payload: { runId, platform: 'native', data: d, offset },
              });
            });
            term.onExit(() => {
              untrack();
              resolveGo({ ptyBytes, ms: performance.now() - started });
            });
          });
        return {
          runId,
          dir: '/dev/null',
          platforms: ['native'],
        };
      },
    },
  };

  const service = new ApiService(deps);
  const server = await startWebServer({ service, staticDir, port: 0 });
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(server.url);
    await page.getByTestId('wizard-step-platforms').waitFor();
    // Start the run from the Node side; the page follows it (run:started) and opens its console.
    const conn = service.connect({ send: () => undefined }, 'websocket');
    const started = await conn.handlers['run:start']({
      config: { platforms: ['native'], benchmarks: ['linpack'] },
    });
    if (!started.ok) throw new Error(started.error.message);
    await page
      .locator('[data-testid="console-native"][data-ready="true"]')
      .waitFor({ timeout: 30_000 });

    const t0 = performance.now();
    const produced = await go();
    // Poll the rendered offset the console pane publishes (bytes xterm.js has written).
    const pane = page.getByTestId('console-native');
    const deadline = Date.now() + TIMEOUT_MS;
    while (Number(await pane.getAttribute('data-offset')) < produced.ptyBytes) {
      if (Date.now() > deadline) throw new Error('the terminal did not catch up in time');
      await new Promise((r) => setTimeout(r, 50));
    }
    const totalMs = performance.now() - t0;
    const rendered = Number(await page.getByTestId('console-native').getAttribute('data-offset'));
    const intact = rendered === produced.ptyBytes;
    const mb = produced.ptyBytes / 1e6;
    console.log(
      'console throughput (pty → batching/flow control → WebSocket → xterm.js in Chromium)',
    );
    console.log(
      `  pty produced        ${produced.ptyBytes} bytes (${OUTPUT_BYTES} written; the pty adds \\r before \\n)`,
    );
    console.log(
      `  terminal rendered   ${rendered} bytes  ${intact ? 'OK: byte count matches' : 'MISMATCH'}`,
    );
    console.log(
      `  pty alone           ${(mb / (produced.ms / 1000)).toFixed(1)} MB/s (${(produced.ms / 1000).toFixed(2)} s, held back by flow control)`,
    );
    console.log(
      `  end to end          ${(mb / (totalMs / 1000)).toFixed(1)} MB/s (${(totalMs / 1000).toFixed(2)} s)`,
    );
    conn.close();
    if (!intact) process.exitCode = 1;
  } finally {
    await browser.close();
    await server.close();
    await tracker.killAll();
  }
}

// Allow `node --import tsx scripts/bench/console.ts` on its own.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  run().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
