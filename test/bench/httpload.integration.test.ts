/**
 * The load client binary (resources/bench/httpload.c) against tiny servers on loopback: it
 * refuses every non-loopback address before opening a socket, and its size verification catches
 * short, long and wrong responses (the real nginx runs are in nginx.test.ts).
 */
import { spawn } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LOAD_CLIENT, resultJson } from './benchHarness';

interface ClientRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runClient(args: string[]): Promise<ClientRun> {
  return new Promise((done) => {
    const child = spawn(LOAD_CLIENT, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/**
 * A server on 127.0.0.1 that answers every request (a blank line ends it) with `reply(n)` for
 * the n-th request on the whole server; `close` ends the connection after that reply.
 */
async function tinyServer(
  reply: (n: number) => { data: string; close?: boolean },
): Promise<{ url: string; connections: () => number }> {
  let served = 0;
  let connections = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let pending = '';
    socket.on('data', (chunk) => {
      pending += chunk.toString('latin1');
      while (pending.includes('\r\n\r\n')) {
        pending = pending.slice(pending.indexOf('\r\n\r\n') + 4);
        const r = reply(++served);
        socket.write(r.data, 'latin1');
        if (r.close) socket.end();
      }
    });
  });
  server.on('close', () => sockets.forEach((s) => s.destroy()));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}/f`, connections: () => connections };
}

const ok = (body: string, extra = ''): string =>
  `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n${extra}\r\n${body}`;
const load = (url: string, requests: number, expect: number, connections = 2): string[] => [
  '--url',
  url,
  '--requests',
  String(requests),
  '--connections',
  String(connections),
  '--expect-bytes',
  String(expect),
  '--timeout',
  '5',
];

describe('httpload refuses anything but loopback', () => {
  it.each([
    ['http://192.0.2.1:80/x', /refusing 192\.0\.2\.1: only loopback/],
    ['http://10.0.0.1/x', /refusing 10\.0\.0\.1/],
    ['http://0.0.0.0:80/x', /refusing 0\.0\.0\.0/],
    ['http://[2001:db8::1]:80/x', /refusing 2001:db8::1/],
    ['http://[::ffff:127.0.0.1]:80/x', /refusing ::ffff:127\.0\.0\.1/],
    ['http://localhost:80/x', /not an IP address \(names are not resolved/],
    ['http://example.com/x', /not an IP address/],
    ['https://127.0.0.1/x', /must start with http:\/\//],
    ['http://127.0.0.1:80/a b', /space or control character/],
  ])('%s: exit 2 with the reason, nothing sent', async (url, reason) => {
    const r = await runClient(load(url, 1, 1));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(reason);
    expect(r.stdout).not.toContain('@@BENCHVISOR');
  });
});

describe('httpload verifies every response', () => {
  it('counts exact requests and bytes over keep-alive connections and reports the metrics', async () => {
    const s = await tinyServer(() => ({ data: ok('x'.repeat(1000)) }));
    const r = await runClient(load(s.url, 50, 1000, 3));
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    const line = resultJson(r.stdout);
    expect(line.benchmark).toBe('nginx');
    expect(line.metrics).toMatchObject({ requests: 50, bytes: 50_000, reconnects: 0 });
    expect(line.metrics.p99Ms).toBeGreaterThanOrEqual(line.metrics.p50Ms as number);
    expect(line.metrics.cpuPercent).toBeGreaterThanOrEqual(0);
    expect(s.connections()).toBe(3); // kept alive: one connection each, never reopened
  });

  it('reopens a connection the server closes after a complete response', async () => {
    const s = await tinyServer(() => ({ data: ok('abc', 'Connection: close\r\n'), close: true }));
    const r = await runClient(load(s.url, 6, 3, 1));
    expect(r.code).toBe(0);
    expect(resultJson(r.stdout).metrics).toMatchObject({ requests: 6, bytes: 18, reconnects: 5 });
  });

  it.each([
    [
      'a body cut short',
      () => ({
        data: 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n' + 'y'.repeat(40),
        close: true,
      }),
      /response 1 was cut short: 40 of 100 body bytes, then the connection closed/,
    ],
    [
      'a wrong Content-Length',
      () => ({ data: ok('y'.repeat(99)) }),
      /response 1 has Content-Length 99, expected 100/,
    ],
    [
      'bytes beyond the Content-Length',
      () => ({ data: ok('y'.repeat(100)) + 'zz' }),
      /response 1 had 2 bytes more than its Content-Length of 100/,
    ],
    [
      'a status other than 200',
      () => ({ data: 'HTTP/1.1 404 Not Found\r\nContent-Length: 100\r\n\r\n' + 'y'.repeat(100) }),
      /response 1 had status 404/,
    ],
    [
      'a chunked body',
      () => ({ data: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n64\r\n' }),
      /chunked .*cannot be checked/,
    ],
    [
      'no Content-Length',
      () => ({ data: 'HTTP/1.1 200 OK\r\n\r\n', close: true }),
      /no valid Content-Length/,
    ],
  ])('fails (exit 1) on %s, naming it', async (_what, reply, message) => {
    const s = await tinyServer(reply);
    const r = await runClient(load(s.url, 3, 100, 1));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    // the line still says how far it got: no response was counted as good
    expect(resultJson(r.stdout).metrics.requests).toBe(0);
  });

  it('fails a later short response after good ones, counting only the good ones', async () => {
    const s = await tinyServer((n) =>
      n < 4 ? { data: ok('q'.repeat(10)) } : { data: ok('q'.repeat(10)).slice(0, -3), close: true },
    );
    const r = await runClient(load(s.url, 10, 10, 1));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/response 4 was cut short: 7 of 10 body bytes/);
    expect(resultJson(r.stdout).metrics).toMatchObject({ requests: 3, bytes: 30 });
  });

  it('gives up on a server that never answers (stall timeout), not hang', async () => {
    const s = await tinyServer(() => ({ data: '' }));
    const r = await runClient([...load(s.url, 2, 10, 1).slice(0, -1), '0.5']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no response completed for 0\.5 s \(0 of 1 done\)/);
  });
});
