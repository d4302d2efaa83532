import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { classifyQmpMessage, QmpClient, QmpError } from '../../src/main/qemu/qmp';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

interface FakeQmp {
  path: string;
  received: Record<string, unknown>[];
  server: Server;
}

/** A fake QEMU QMP server: greets, answers by command name, sends an event before each answer. */
function fakeQmp(
  answers: Record<string, (args: unknown) => unknown>,
  opts: { closeAfterGreeting?: boolean; closeBeforeGreeting?: boolean } = {},
): Promise<FakeQmp> {
  const dir = mkdtempSync(join(tmpdir(), 'bv-qmp-'));
  const path = join(dir, 'qmp.sock');
  const received: Record<string, unknown>[] = [];
  const sockets: Socket[] = [];
  const server = createServer((s) => {
    sockets.push(s);
    if (opts.closeBeforeGreeting) {
      setTimeout(() => s.destroy(), 20);
      return;
    }
    s.write(
      JSON.stringify({
        QMP: {
          version: { qemu: { major: 7, minor: 2, micro: 22 }, package: 'Debian' },
          capabilities: [],
        },
      }) + '\r\n',
    );
    if (opts.closeAfterGreeting) {
      setTimeout(() => s.destroy(), 20);
      return;
    }
    let buf = '';
    s.on('data', (d) => {
      buf += d.toString();
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const msg = JSON.parse(buf.slice(0, i)) as {
          execute: string;
          arguments?: unknown;
          id?: unknown;
        };
        buf = buf.slice(i + 1);
        received.push(msg);
        s.write(
          JSON.stringify({
            event: 'NIC_RX_FILTER_CHANGED',
            data: {},
            timestamp: { seconds: 1, microseconds: 2 },
          }) + '\r\n',
        );
        const answer = answers[msg.execute];
        if (!answer) {
          s.write(
            JSON.stringify({
              error: {
                class: 'CommandNotFound',
                desc: `The command ${msg.execute} has not been found`,
              },
              id: msg.id,
            }) + '\r\n',
          );
        } else {
          s.write(JSON.stringify({ return: answer(msg.arguments), id: msg.id }) + '\r\n');
        }
      }
    });
  });
  cleanups.push(() => {
    sockets.forEach((s) => s.destroy());
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return new Promise((resolve) => server.listen(path, () => resolve({ path, received, server })));
}

describe('QMP client', () => {
  it('negotiates capabilities, then reads query-kvm / query-status and the version', async () => {
    const q = await fakeQmp({
      qmp_capabilities: () => ({}),
      'query-kvm': () => ({ enabled: false, present: true }),
      'query-status': () => ({ status: 'running', singlestep: false, running: true }),
    });
    const client = await QmpClient.connect(q.path, 2000);
    cleanups.push(() => client.close());
    expect(await client.queryKvm()).toEqual({ enabled: false, present: true });
    expect(await client.queryStatus()).toEqual({ status: 'running', running: true });
    expect(client.qemuVersion()).toBe('7.2.22');
    expect(q.received.map((m) => m.execute)).toEqual([
      'qmp_capabilities',
      'query-kvm',
      'query-status',
    ]);
    // events are collected, never taken for answers
    expect(client.events.length).toBe(3);
  });

  it('reports KVM enabled only when QMP says so', async () => {
    const q = await fakeQmp({
      qmp_capabilities: () => ({}),
      'query-kvm': () => ({ enabled: true, present: true }),
    });
    const client = await QmpClient.connect(q.path, 2000);
    cleanups.push(() => client.close());
    expect((await client.queryKvm()).enabled).toBe(true);
  });

  it('turns QMP errors into QmpError with the class', async () => {
    const q = await fakeQmp({ qmp_capabilities: () => ({}) });
    const client = await QmpClient.connect(q.path, 2000);
    cleanups.push(() => client.close());
    const e = await client.execute('no-such-command').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(QmpError);
    expect((e as QmpError).errorClass).toBe('CommandNotFound');
  });

  it('fails pending commands when QEMU goes away', async () => {
    const q = await fakeQmp({}, { closeAfterGreeting: true });
    await expect(QmpClient.connect(q.path, 2000)).rejects.toThrow(/QMP connection closed/);
  });

  it('fails at once when the socket closes before the greeting (no wait for the timeout)', async () => {
    const q = await fakeQmp({}, { closeBeforeGreeting: true });
    const started = Date.now();
    await expect(QmpClient.connect(q.path, 15_000)).rejects.toThrow(
      /no QMP greeting: the QMP connection closed/,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('gives up connecting after the timeout with the path in the message', async () => {
    await expect(QmpClient.connect('/nonexistent/bv/qmp.sock', 200)).rejects.toThrow(
      /cannot connect to \/nonexistent\/bv\/qmp.sock/,
    );
  });

  it('classifies raw messages', () => {
    expect(classifyQmpMessage('{"return": {}, "id": 3}')).toEqual({
      kind: 'return',
      id: 3,
      value: {},
    });
    expect(classifyQmpMessage('{"event": "SHUTDOWN", "data": {"guest": true}}')).toMatchObject({
      kind: 'event',
      event: { event: 'SHUTDOWN' },
    });
    expect(classifyQmpMessage('not json').kind).toBe('garbage');
  });
});
