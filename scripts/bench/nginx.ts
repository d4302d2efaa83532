/**
 * The nginx benchmark's load client against independent clients, in one run:
 *  A. one host nginx (the benchmark's own config: 1 worker, sendfile, keep-alive) serving a
 *     64 KiB and a 1 MiB file; our client (httpload), wrk (1 and 2 threads), ab and h2load
 *     (when installed) load it in interleaved rounds; medians of body MB/s.
 *     Target: ours ≥ 50% of the best independent client on each file.
 *  B. the native platform through the whole engine, standard profile (1 MiB × 2000, 8
 *     connections), against wrk on a host nginx with the same config and file.
 *     Target: wrk ÷ engine ≤ 2.
 * A missing comparison client is skipped with a message (apt-get install wrk apache2-utils
 * nghttp2-client).
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { createHttpLoad, loadClientPath } from '../../src/main/benchmarks/nginx/httpLoad';
import { nginxService } from '../../src/main/benchmarks/nginx/nginxService';
import { createEngine } from '../../src/main/composition';
import { hostServiceStarter } from '../../src/main/platforms/native/hostService';
import { createProcReader } from '../../src/main/host/procReader';
import { ProcessTracker } from '../../src/main/process/tracker';
import { defaultAppPaths } from '../../src/main/util/appPaths';
import { parseExperimentConfig } from '../../src/shared/config';

/** Interleaved rounds per file (every client once per round). */
const ROUNDS = 3;
/** Seconds a duration-based client (wrk) runs. */
const WRK_SECONDS = 4;
/** Engine repetitions of the standard profile (part B). */
const ENGINE_REPS = 3;
const TOOL_TIMEOUT_MS = 120_000;

interface FileCase {
  label: string;
  bytes: number;
  requests: number;
  connections: number;
}
/** The two cases: the quick profile's file and the standard profile's. */
const FILES: FileCase[] = [
  { label: '64 KiB', bytes: 64 * 1024, requests: 20_000, connections: 4 },
  { label: '1 MiB', bytes: 1024 * 1024, requests: 2_000, connections: 8 },
];

/** Body MB/s (10^6 bytes) of one load. */
type Load = (url: string, f: FileCase) => Promise<number>;

interface Client {
  name: string;
  independent: boolean;
  /** Program that must be on PATH, if any. */
  program?: string;
  load: Load;
}

function onPath(program: string): boolean {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    try {
      accessSync(join(dir, program), constants.X_OK);
      return true;
    } catch {
      /* next */
    }
  }
  return false;
}

function runTool(program: string, args: string[]): Promise<string> {
  return new Promise((done, fail) => {
    execFile(program, args, { timeout: TOOL_TIMEOUT_MS }, (error, stdout, stderr) => {
      if (error) fail(new Error(`${program} failed: ${error.message} ${stderr}`));
      else done(`${stdout}${stderr}`);
    });
  });
}

function match(text: string, re: RegExp, what: string): RegExpExecArray {
  const m = re.exec(text);
  if (!m) throw new Error(`cannot read ${what} from:\n${text}`);
  return m;
}

/** wrk: "N requests in 4.00s"; any "Non-2xx" or socket error line makes the figure invalid. */
function wrk(threads: number): Load {
  return async (url, f) => {
    const out = await runTool('wrk', [
      `-t${threads}`,
      `-c${f.connections}`,
      `-d${WRK_SECONDS}s`,
      url,
    ]);
    if (/Non-2xx|Socket errors/.test(out)) throw new Error(`wrk saw errors:\n${out}`);
    const m = match(out, /(\d+) requests in ([\d.]+)(ms|s|m)\b/, 'wrk requests');
    const seconds = Number(m[2]) * (m[3] === 'ms' ? 1e-3 : m[3] === 'm' ? 60 : 1);
    return (Number(m[1]) * f.bytes) / 1e6 / seconds;
  };
}

/** ab with keep-alive: exact request count, "Failed requests" must be 0. */
const ab: Load = async (url, f) => {
  const out = await runTool('ab', [
    '-q',
    '-k',
    '-c',
    String(f.connections),
    '-n',
    String(f.requests),
    url,
  ]);
  const failed = Number(match(out, /Failed requests:\s+(\d+)/, 'ab failures')[1]);
  if (failed !== 0 || /Non-2xx/.test(out)) throw new Error(`ab saw failures:\n${out}`);
  const done = Number(match(out, /Complete requests:\s+(\d+)/, 'ab requests')[1]);
  const seconds = Number(match(out, /Time taken for tests:\s+([\d.]+)/, 'ab time')[1]);
  return (done * f.bytes) / 1e6 / seconds;
};

/** h2load over HTTP/1.1: "finished in X, Y req/s"; every request must have succeeded. */
const h2load: Load = async (url, f) => {
  const out = await runTool('h2load', [
    '--h1',
    '-c',
    String(f.connections),
    '-n',
    String(f.requests),
    url,
  ]);
  const ok = Number(match(out, /requests: .* (\d+) succeeded/, 'h2load successes')[1]);
  if (ok !== f.requests) throw new Error(`h2load: only ${ok} of ${f.requests} succeeded`);
  const perSecond = Number(match(out, /finished in [\d.]+m?s, ([\d.]+) req\/s/, 'h2load rate')[1]);
  return (perSecond * f.bytes) / 1e6;
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]): string => r.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return `${fmt(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(fmt).join('\n')}\n`;
}

const say = (text: string): boolean => process.stdout.write(text);

/** Part A: every available client against one host nginx, per file, interleaved rounds. */
async function clientsAgainstHostNginx(clients: Client[], tracker: ProcessTracker): Promise<void> {
  const start = hostServiceStarter(tracker, createProcReader());
  for (const f of FILES) {
    const handle = await start(nginxService(f.bytes));
    const figures = new Map<string, number[]>(clients.map((c) => [c.name, []]));
    try {
      for (let round = 0; round < ROUNDS; round++) {
        for (const c of clients) {
          figures.get(c.name)!.push(await c.load(handle.url, f));
          say('.');
        }
      }
    } finally {
      await handle.stop();
    }
    say('\n');
    const ours = median(figures.get('httpload (ours)')!);
    const independent = clients.filter((c) => c.independent);
    const best = Math.max(...independent.map((c) => median(figures.get(c.name)!)));
    const rows = clients.map((c) => {
      const xs = figures.get(c.name)!;
      return [
        c.name,
        median(xs).toFixed(0),
        `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`,
        (median(xs) / best).toFixed(2),
      ];
    });
    say(
      `\n${f.label} file, ${f.connections} connections (${f.requests} requests; wrk ${WRK_SECONDS} s), host nginx, ${ROUNDS} rounds\n`,
    );
    say(table(['client', 'MB/s (median)', 'range', '÷ best independent'], rows));
    const ratio = ours / best;
    say(
      `ours ÷ best independent client: ${ratio.toFixed(2)} (target ≥ 0.50: ${ratio >= 0.5 ? 'met' : 'NOT met'})\n`,
    );
  }
}

/** Part B: the engine's native nginx, standard profile, against wrk on the same nginx setup. */
async function engineAgainstWrk(tracker: ProcessTracker): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'benchvisor-bench-nginx-'));
  const engine = createEngine({ paths: { ...defaultAppPaths(), runsDir: join(scratch, 'runs') } });
  try {
    const parsed = parseExperimentConfig({
      name: 'bench nginx standard',
      platforms: ['native'],
      benchmarks: ['nginx'],
      profile: 'standard',
      repetitions: { count: ENGINE_REPS, warmup: 0 },
    });
    if (!parsed.ok) throw new Error(parsed.message);
    const started = await engine.createRunner().start(parsed.config);
    if (!started.ok) throw new Error(started.error.message);
    const fin = await started.value.finished;
    const samples = engine.store.get(fin.runId).samples;
    const bad = samples.find((s) => s.value === null);
    if (bad) throw new Error(`engine repetition failed: ${bad.error}`);
    const mbps = median(samples.map((s) => s.metrics.mbps ?? NaN));
    const ceiling = (samples[0]?.meta.loadCeiling as { mbps?: number } | undefined)?.mbps;
    const cpu = samples.map(
      (s) => s.meta.loadCpu as { clientPercent: number; serverPercent: number | null },
    );
    const f = FILES[1]!;
    const handle = await hostServiceStarter(tracker, createProcReader())(nginxService(f.bytes));
    const wrkFigures: number[] = [];
    try {
      for (let i = 0; i < ROUNDS; i++) wrkFigures.push(await wrk(1)(handle.url, f));
    } finally {
      await handle.stop();
    }
    const wrkMbps = median(wrkFigures);
    say(
      '\nNative nginx, standard profile (1 MiB × 2000, 8 connections) through the engine vs wrk\n',
    );
    say(
      table(
        ['', 'MB/s (median)', 'note'],
        [
          [
            `engine, ${ENGINE_REPS} reps`,
            mbps.toFixed(0),
            `client CPU ${cpu.map((c) => c.clientPercent.toFixed(0)).join('/')}%, server ${cpu.map((c) => c.serverPercent?.toFixed(0) ?? '?').join('/')}%`,
          ],
          ['its ceiling (meta.loadCeiling)', ceiling?.toFixed(0) ?? '?', 'host nginx, best of 3'],
          [
            `wrk -t1 -c8 -d${WRK_SECONDS}s, ${ROUNDS} runs`,
            wrkMbps.toFixed(0),
            'same nginx config and file',
          ],
        ],
      ),
    );
    const ratio = wrkMbps / mbps;
    say(`wrk ÷ engine: ${ratio.toFixed(2)} (target ≤ 2: ${ratio <= 2 ? 'met' : 'NOT met'})\n`);
  } finally {
    await engine.shutdown();
    rmSync(scratch, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  const paths = defaultAppPaths();
  const tracker = new ProcessTracker();
  const ours = createHttpLoad({ clientPath: loadClientPath(paths.benchBinDir), tracker });
  const oursLoad: Load = async (url, f) => {
    const r = await ours({
      url,
      requests: f.requests,
      connections: f.connections,
      expectedBytesPerResponse: f.bytes,
      timeoutMs: TOOL_TIMEOUT_MS,
    });
    if (!r.ok) throw new Error(r.error.message);
    return r.value.mbps;
  };
  const candidates: Client[] = [
    { name: 'httpload (ours)', independent: false, load: oursLoad },
    { name: 'wrk -t1', independent: true, program: 'wrk', load: wrk(1) },
    { name: 'wrk -t2', independent: true, program: 'wrk', load: wrk(2) },
    { name: 'ab -k', independent: true, program: 'ab', load: ab },
    { name: 'h2load --h1', independent: true, program: 'h2load', load: h2load },
  ];
  const clients = candidates.filter((c) => {
    if (c.program === undefined || onPath(c.program)) return true;
    say(`skipped ${c.name}: ${c.program} is not installed\n`);
    return false;
  });
  try {
    if (!clients.some((c) => c.independent)) {
      say(
        'no independent client installed (apt-get install wrk apache2-utils nghttp2-client): nothing to compare\n',
      );
      return;
    }
    await clientsAgainstHostNginx(clients, tracker);
    if (onPath('wrk')) await engineAgainstWrk(tracker);
    else say('skipped the engine vs wrk comparison: wrk is not installed\n');
  } finally {
    await tracker.killAll();
  }
}
