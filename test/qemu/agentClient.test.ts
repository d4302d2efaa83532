import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentClient, parseAgentLine, quoteArg, runLine } from '../../src/main/qemu/agentClient';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

type Behaviour = (line: string, reply: (l: string) => void, sock: Socket) => void;

/** A fake guest agent on a unix socket. */
async function fakeAgent(behaviour: Behaviour): Promise<{ path: string; lines: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'bv-agent-'));
  const path = join(dir, 'agent.sock');
  const lines: string[] = [];
  const sockets: Socket[] = [];
  const server = createServer((s) => {
    sockets.push(s);
    const reply = (l: string): void => void s.write(l + '\n');
    reply('READY 1');
    let buf = '';
    s.on('data', (d) => {
      buf += d.toString();
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        lines.push(line);
        behaviour(line, reply, s);
      }
    });
  });
  await new Promise<void>((r) => server.listen(path, r));
  cleanups.push(() => {
    sockets.forEach((s) => s.destroy());
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { path, lines };
}

async function connected(path: string): Promise<AgentClient> {
  const c = await AgentClient.connect(path, 2000);
  cleanups.push(() => c.close());
  expect(await c.waitReady(2000)).toBe(1);
  return c;
}

describe('agent protocol (host side)', () => {
  it('quotes arguments so a POSIX shell gets them back unchanged', () => {
    const args = ['plain', "it's", 'two words', '$HOME', '`x`', '"q"', ''];
    const line = runLine(7, args);
    expect(line.startsWith('RUN 7 ')).toBe(true);
    const echoed = execFileSync(
      'sh',
      [
        '-c',
        `eval "set -- ${line.slice('RUN 7 '.length).replace(/(["\\$`])/g, '\\$1')}"; for a; do printf '%s\\n' "[$a]"; done`,
      ],
      {
        encoding: 'utf8',
      },
    );
    expect(echoed.trim().split('\n')).toEqual(args.map((a) => `[${a}]`));
    expect(() => quoteArg('a\nb')).toThrow(/newlines/);
  });

  it('parses agent lines', () => {
    expect(parseAgentLine('OUT 3 @@BENCHVISOR {"a":1}')).toEqual({
      verb: 'OUT',
      id: 3,
      rest: '@@BENCHVISOR {"a":1}',
    });
    expect(parseAgentLine('EXIT 12 0')).toEqual({ verb: 'EXIT', id: 12, rest: '0' });
    expect(parseAgentLine('garbage')).toBeNull();
  });

  it('collects OUT lines and the exit code of a RUN', async () => {
    const a = await fakeAgent((line, reply) => {
      const m = parseAgentLine(line)!;
      reply(`OUT ${m.id} first`);
      reply(`OUT 999 belongs to someone else`);
      reply(`OUT ${m.id} @@BENCHVISOR {"benchmark":"syscall"}`);
      reply(`EXIT ${m.id} 3`);
    });
    const c = await connected(a.path);
    const r = await c.run(['syscall', '--count', '10'], { timeoutMs: 2000 });
    expect(r).toEqual({ exitCode: 3, stdout: 'first\n@@BENCHVISOR {"benchmark":"syscall"}' });
    expect(a.lines).toEqual(["RUN 1 'syscall' '--count' '10'"]);
  });

  it('on timeout sends KILL and reports TIMEOUT; the guest stays usable when it obeys', async () => {
    const a = await fakeAgent((line, reply) => {
      const m = parseAgentLine(line)!;
      if (m.verb === 'KILL') reply(`EXIT ${m.id} 137`);
      if (m.verb === 'PING') reply(`EXIT ${m.id} 0`);
    });
    const c = await connected(a.path);
    const r = await c.run(['linpack'], { timeoutMs: 100, killGraceMs: 2000 });
    expect(r.failure?.code).toBe('TIMEOUT');
    expect(r.exitCode).toBeNull();
    expect(a.lines).toEqual(["RUN 1 'linpack'", 'KILL 1']);
    expect(c.broken).toBeNull();
  });

  it('a guest that ignores KILL is declared hung: later runs fail at once with GUEST_FAILED', async () => {
    const a = await fakeAgent(() => undefined);
    const c = await connected(a.path);
    const r = await c.run(['forksum'], { timeoutMs: 50, killGraceMs: 100 });
    expect(r.failure?.code).toBe('TIMEOUT');
    expect(r.failure?.message).toMatch(/not responding/);
    const next = await c.run(['syscall'], { timeoutMs: 1000 });
    expect(next.failure).toEqual({
      code: 'GUEST_FAILED',
      message: expect.stringMatching(/not responding/),
    });
    expect(a.lines).toEqual(["RUN 1 'forksum'", 'KILL 1']);
  });

  it('cancel sends KILL and reports CANCELLED', async () => {
    const a = await fakeAgent((line, reply) => {
      const m = parseAgentLine(line)!;
      if (m.verb === 'KILL') reply(`EXIT ${m.id} 137`);
    });
    const c = await connected(a.path);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const r = await c.run(['memsweep'], { timeoutMs: 10_000, signal: ac.signal });
    expect(r.failure?.code).toBe('CANCELLED');
  });

  it('a guest that dies mid-run fails the run with GUEST_FAILED', async () => {
    const a = await fakeAgent((_line, _reply, sock) => sock.destroy());
    const c = await connected(a.path);
    const r = await c.run(['linpack'], { timeoutMs: 5000 });
    expect(r.failure).toEqual({
      code: 'GUEST_FAILED',
      message: expect.stringMatching(/connection closed/),
    });
  });

  it('PUT sends the file base64-encoded', async () => {
    const a = await fakeAgent((line, reply) => reply(`EXIT ${parseAgentLine(line)!.id} 0`));
    const c = await connected(a.path);
    expect(await c.put('/run/x.conf', 'a\nb', 1000)).toEqual({ exitCode: 0, stdout: '' });
    expect(a.lines).toEqual([`PUT 1 /run/x.conf ${Buffer.from('a\nb').toString('base64')}`]);
  });
});
