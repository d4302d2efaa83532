/** The nginx benchmark: config generation, real native nginx, the HTTP load and the runner. */
import { execFile } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHttpLoad, runHttpLoad } from '../../src/main/benchmarks/nginx/httpLoad';
import { LoadCeiling } from '../../src/main/benchmarks/nginx/loadCeiling';
import { createServerCpuSampler } from '../../src/main/benchmarks/nginx/serverCpu';
import { NginxBenchmarkRunner } from '../../src/main/benchmarks/nginx/nginx';
import {
  renderNginxConfig,
  TEMP_PATH_DIRECTIVES,
} from '../../src/main/benchmarks/nginx/nginxConfig';
import { findNginx, locateNginx, nginxService } from '../../src/main/benchmarks/nginx/nginxService';
import {
  startNativeService,
  type StartNativeServiceOptions,
} from '../../src/main/platforms/native/nativeService';
import { ProcessTracker } from '../../src/main/process/tracker';
import { createProcReader } from '../../src/main/host/procReader';
import { CATALOGUE, resolveParams } from '../../src/shared/catalogue';
import { skipUnless } from '../support/skip';
import { HostSession, LOAD_CLIENT, processAlive, repetition } from './benchHarness';

let scratch = '';
/** The /proc reader a service's workers are found through (the host probe's in the engine). */
const proc = createProcReader();
const tracker = new ProcessTracker();
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'benchvisor-nginx-'));
});
afterEach(async () => {
  // every test must have stopped what it started
  expect(tracker.labels()).toEqual([]);
  await tracker.killAll();
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const nginxPath = locateNginx();
/** The real load client, tracked like the engine tracks it. */
const client = { clientPath: LOAD_CLIENT, tracker };

/** Native nginx through the platform's generic service start (what NativeSession.startService does). */
function startNativeNginx(opts: StartNativeServiceOptions & { fileSize: number }) {
  return startNativeService(nginxService(opts.fileSize), opts).then((h) => ({
    ...h,
    servedFile: join(h.prefix, 'www', 'bench.bin'),
  }));
}
const NO_NGINX = 'nginx is not installed here (apt-get install nginx-light; scripts/setup.sh does)';
/** A test that needs the real nginx: skipped with the reason where it is missing. */
const withNginx = (name: string, fn: () => Promise<void>) =>
  it(name, async (ctx) => {
    skipUnless(ctx, nginxPath, NO_NGINX);
    await fn();
  });

function nginxTest(conf: string, prefix: string): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    execFile(
      nginxPath ?? 'nginx',
      ['-t', '-p', `${prefix}/`, '-c', conf, '-e', join(prefix, 'error.log')],
      (error, stdout, stderr) => {
        done({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` });
      },
    );
  });
}

describe('renderNginxConfig', () => {
  it('keeps every path nginx writes inside the prefix and serves the root folder', () => {
    const text = renderNginxConfig({ prefix: '/tmp/p', listenAddress: '127.0.0.1', port: 8080 });
    expect(text).toContain('daemon off;');
    expect(text).toContain('master_process on;');
    expect(text).toContain('worker_processes 1;');
    expect(text).toContain('pid "/tmp/p/nginx.pid";');
    expect(text).toContain('error_log "/tmp/p/error.log"');
    expect(text).toContain('access_log "/tmp/p/access.log";');
    for (const d of TEMP_PATH_DIRECTIVES)
      expect(text).toMatch(new RegExp(`${d} "/tmp/p/tmp/\\w+";`));
    expect(text).toContain('listen 127.0.0.1:8080;');
    expect(text).toContain('root "/tmp/p/www";');
    expect(text).toContain('sendfile on;');
    expect(text).toMatch(/keepalive_timeout \d+;/);
    expect(text).not.toContain('user ');
    // no absolute path outside the prefix
    for (const m of text.matchAll(/"(\/[^"]*)"/g)) expect(m[1]?.startsWith('/tmp/p/')).toBe(true);
  });

  it('takes a user line, another root, IPv6 and any-address listens (container and guest)', () => {
    const text = renderNginxConfig({
      prefix: '/run/ng',
      listenAddress: '::1',
      port: 80,
      user: 'root',
      rootDir: '/srv/www',
      accessLog: false,
    });
    expect(text).toMatch(/^user root;$/m);
    expect(text).toContain('listen [::1]:80;');
    expect(text).toContain('root "/srv/www";');
    expect(text).toContain('access_log off;');
    expect(renderNginxConfig({ prefix: '/x', listenAddress: '0.0.0.0', port: 8080 })).toContain(
      'listen 0.0.0.0:8080;',
    );
  });

  it('rejects input that would break the file, naming the problem', () => {
    expect(() =>
      renderNginxConfig({ prefix: 'relative', listenAddress: '127.0.0.1', port: 1 }),
    ).toThrow(/prefix must be an absolute path/);
    expect(() =>
      renderNginxConfig({ prefix: '/a;b', listenAddress: '127.0.0.1', port: 1 }),
    ).toThrow(/prefix contains a character/);
    expect(() =>
      renderNginxConfig({ prefix: '/a', listenAddress: '127.0.0.1', port: 70000 }),
    ).toThrow(/port must be an integer from 1 to 65535/);
    expect(() =>
      renderNginxConfig({ prefix: '/a', listenAddress: 'evil; include x', port: 80 }),
    ).toThrow(/listen address/);
    expect(() =>
      renderNginxConfig({ prefix: '/a', listenAddress: '127.0.0.1', port: 80, user: 'a;b' }),
    ).toThrow(/user/);
  });

  withNginx('is accepted by the real nginx (nginx -t)', async () => {
    const prefix = join(scratch, 'conftest');
    for (const d of ['www', 'tmp']) mkdirSync(join(prefix, d), { recursive: true });
    const conf = join(prefix, 'nginx.conf');
    writeFileSync(
      conf,
      renderNginxConfig({
        prefix,
        listenAddress: '127.0.0.1',
        port: 18080,
        user: process.getuid?.() === 0 ? 'root' : undefined,
      }),
    );
    const r = await nginxTest(conf, prefix);
    expect(r.output).toContain('syntax is ok');
    expect(r.code).toBe(0);
  });
});

describe('native nginx', () => {
  it('findNginx reports availability with the path, or the reason and the fix', async () => {
    const found = await findNginx();
    if (nginxPath) {
      expect(found).toMatchObject({ available: true, details: { path: nginxPath } });
    } else {
      expect(found).toMatchObject({ available: false, fix: 'apt-get install nginx-light' });
    }
    // neither on PATH nor in the sbin folders: unavailable on every host, with the fix
    const none = await findNginx({ PATH: join(scratch, 'empty') }, []);
    expect(none).toMatchObject({
      available: false,
      reason: expect.stringMatching(/not installed/),
      fix: 'apt-get install nginx-light',
    });
    expect(locateNginx({ PATH: join(scratch, 'empty') }, [])).toBeNull();
  });

  withNginx(
    'serves exactly requests x fileSize bytes to the HTTP load, then stops without leftovers',
    async () => {
      const fileSize = 65536 + 123;
      const handle = await startNativeNginx({
        tracker,
        proc,
        workDir: join(scratch, 'serve'),
        fileSize,
      });
      expect(handle.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/bench\.bin$/);
      expect(statSync(handle.servedFile).size).toBe(fileSize);
      expect(tracker.size).toBe(1);
      expect(processAlive(handle.pid)).toBe(true);

      const load = await runHttpLoad(client, {
        url: handle.url,
        requests: 120,
        connections: 4,
        expectedBytesPerResponse: fileSize,
        timeoutMs: 60_000,
      });
      expect(load.ok).toBe(true);
      if (load.ok) {
        expect(load.value.bytes).toBe(120 * fileSize);
        expect(load.value.responses).toBe(120);
        expect(load.value.clientCpuPercent).toBeGreaterThanOrEqual(0);
        expect(load.value.p90Ms).toBeGreaterThanOrEqual(load.value.p50Ms);
        expect(load.value.totalMs).toBeGreaterThan(0);
        expect(load.value.mbps).toBeCloseTo(
          (120 * fileSize) / 1e6 / (load.value.totalMs / 1000),
          6,
        );
        expect(load.value.p99Ms).toBeGreaterThanOrEqual(load.value.p50Ms);
      }
      // nginx logged each request inside its prefix
      expect(
        readFileSync(join(handle.prefix, 'access.log'), 'utf8').trim().split('\n').length,
      ).toBeGreaterThanOrEqual(120);

      // a wrong expectation is an error naming both counts
      const wrong = await runHttpLoad(client, {
        url: handle.url,
        requests: 3,
        connections: 1,
        expectedBytesPerResponse: fileSize - 1,
        timeoutMs: 60_000,
      });
      expect(wrong.ok).toBe(false);
      if (!wrong.ok)
        expect(wrong.error.message).toContain(
          `response 1 has Content-Length ${fileSize}, expected ${fileSize - 1}`,
        );

      const workers = childrenOf(handle.pid);
      expect(workers.length).toBe(1);
      await handle.stop();
      await handle.stop(); // idempotent
      expect(tracker.size).toBe(0);
      expect(processAlive(handle.pid)).toBe(false);
      for (const w of workers) expect(processAlive(w)).toBe(false);
    },
  );

  withNginx('tracker.killAll() stops a running nginx (cancel / crash path)', async () => {
    const handle = await startNativeNginx({
      tracker,
      proc,
      workDir: join(scratch, 'kill'),
      fileSize: 10,
    });
    const workers = childrenOf(handle.pid);
    await tracker.killAll();
    expect(processAlive(handle.pid)).toBe(false);
    for (const w of workers) expect(processAlive(w)).toBe(false);
  });

  it('runHttpLoad refuses non-loopback targets and bad counts without sending anything', async () => {
    const remote = await runHttpLoad(client, {
      url: 'http://192.0.2.1/x',
      requests: 1,
      connections: 1,
      expectedBytesPerResponse: 1,
      timeoutMs: 1000,
    });
    expect(!remote.ok && remote.error).toMatchObject({ code: 'INVALID_INPUT' });
    const zero = await runHttpLoad(client, {
      url: 'http://127.0.0.1:1/x',
      requests: 0,
      connections: 1,
      expectedBytesPerResponse: 1,
      timeoutMs: 1000,
    });
    expect(!zero.ok && zero.error.message).toContain('requests must be a positive integer');
  });

  it('runHttpLoad reports a server that is not there as a failure, not a hang', async () => {
    const r = await runHttpLoad(client, {
      url: 'http://127.0.0.1:9/bench.bin',
      requests: 2,
      connections: 1,
      expectedBytesPerResponse: 10,
      timeoutMs: 5_000,
    });
    expect(r.ok).toBe(false);
  });
});

describe('NginxBenchmarkRunner', () => {
  withNginx(
    'runs the quick profile against real native nginx, with the client ceiling and both sides CPU in meta',
    async () => {
      const httpLoad = createHttpLoad(client);
      const serverCpu = createServerCpuSampler();
      let ceilingStarts = 0;
      const ceiling = new LoadCeiling({
        startHostService: (spec, signal) => {
          ceilingStarts++;
          return startNativeService(spec, {
            tracker,
            proc,
            workDir: join(scratch, 'ceiling'),
            ...(signal ? { signal } : {}),
          });
        },
        service: (size) => nginxService(size),
        httpLoad,
        serverCpu,
        reps: 2,
      });
      const runner = new NginxBenchmarkRunner({
        httpLoad,
        clientPath: LOAD_CLIENT,
        ceiling,
        serverCpu,
      });
      expect(await runner.check()).toMatchObject({
        available: true,
        details: { client: LOAD_CLIENT },
      });
      const handles: { pid: number }[] = [];
      const session = new HostSession('', async (spec, signal) => {
        const h = await startNativeService(spec, {
          tracker,
          proc,
          workDir: join(scratch, 'runner'),
          ...(signal ? { signal } : {}),
        });
        handles.push(h);
        return h;
      });
      const params = resolveParams('nginx', 'quick');
      const out = await runner.run(session, params, repetition());
      expect(out.error).toBeUndefined();
      for (const m of CATALOGUE.nginx.metrics) expect(out.metrics[m.key], m.key).toBeGreaterThan(0);
      expect(out.metrics.bytes).toBe((params.requests ?? 0) * (params.fileSize ?? 0));
      // the ceiling: measured once against the host's nginx before the repetition, best of 2
      expect(out.meta?.loadCeiling).toMatchObject({
        mbps: expect.any(Number),
        reps: 2,
        allMbps: [expect.any(Number), expect.any(Number)],
        server: 'host nginx on loopback',
      });
      const c = out.meta?.loadCeiling as { mbps: number; allMbps: number[] };
      expect(c.mbps).toBe(Math.max(...c.allMbps));
      expect(out.meta?.loadCpu).toMatchObject({ clientPercent: expect.any(Number) });
      // the native nginx is this process's child: its CPU is seen (a number, not null)
      expect(typeof (out.meta?.loadCpu as { serverPercent: unknown }).serverPercent).toBe('number');
      // a second repetition of the run reuses the ceiling; a new run measures it again
      const again = await runner.run(session, params, repetition());
      expect(again.meta?.loadCeiling).toEqual(out.meta?.loadCeiling);
      expect(ceilingStarts).toBe(1);
      runner.beginRun();
      await runner.run(session, params, repetition());
      expect(ceilingStarts).toBe(2);
      // the runner stopped nginx (the platform's and the ceiling's) and the client itself
      expect(tracker.size).toBe(0);
      expect(processAlive(handles[0]?.pid ?? -1)).toBe(false);
    },
  );

  it('turns a start failure and a load failure into outcomes, stopping nginx either way', async () => {
    const failingStart = new HostSession('', () => Promise.reject(new Error('port in use')));
    const a = await new NginxBenchmarkRunner({ httpLoad: createHttpLoad(client) }).run(
      failingStart,
      { fileSize: 10, requests: 1, connections: 1 },
      repetition(),
    );
    expect(a.error).toBe('nginx did not start: port in use');
    let stopped = 0;
    const session = new HostSession('', () =>
      Promise.resolve({
        url: 'http://127.0.0.1:1/bench.bin',
        stop: () => Promise.resolve(void stopped++),
      }),
    );
    const runner = new NginxBenchmarkRunner({
      httpLoad: () =>
        Promise.resolve({
          ok: false,
          error: { code: 'BENCHMARK_FAILED', message: 'short transfer' },
        }),
    });
    const b = await runner.run(
      session,
      { fileSize: 10, requests: 1, connections: 1 },
      repetition(),
    );
    expect(b.error).toBe('BENCHMARK_FAILED: short transfer');
    expect(b.metrics).toEqual({});
    expect(stopped).toBe(1);
    const bad = await runner.run(
      session,
      { fileSize: 10, requests: 0, connections: 1 },
      repetition(),
    );
    expect(bad.error).toContain('"requests" must be a positive integer');
  });
});

/** Direct children of a pid, from /proc (nginx's workers). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid)
        out.push(Number(name));
    } catch {
      /* gone */
    }
  }
  return out;
}
