/**
 * `benchvisor agent`'s stdin fuzzed (bounded, seeded): malformed JSON, wrong shapes, unknown
 * channels, requests that break their channel's schema, path escapes on the agent channels,
 * random bytes and a line far above the cap. Every line gets an error value; the engine never
 * crashes and still answers a good call afterwards; it leaves when the client goes.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { AGENT_MAX_LINE_BYTES } from '../../src/shared/agentProtocol';
import { seededRandom } from '../support/seededRandom';
import { ENGINE_IDLE_ENV } from '../../src/main/agent/engineDaemon';
import { TEST_ENGINE_IDLE_S } from '../support/sshd';
import { builtCli } from '../support/builtApp';
import { tempDir } from '../engine/helpers';

const tmp = tempDir('agent-fuzz');
afterAll(() => tmp.cleanup());

/** Lines that must each be answered with an error (id 0 when no id could be read). */
function fuzzLines(seed: number, count: number): string[] {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const junk = (n: number) =>
    Array.from({ length: n }, () => String.fromCharCode(1 + Math.floor(rnd() * 0x7e)))
      .join('')
      .replace(/\n/g, ' ');
  const makers: (() => string)[] = [
    () => `{${junk(20)}`,
    () => junk(1 + Math.floor(rnd() * 200)),
    () => JSON.stringify([1, 2, 3]),
    () => JSON.stringify({ id: -1, channel: 'app:info', request: {} }),
    () => JSON.stringify({ id: 7, channel: junk(10), request: {} }),
    () => JSON.stringify({ id: 8, channel: 'run:cancel', request: { runId: 42 } }),
    () => JSON.stringify({ id: 9, channel: 'runs:get', request: { runId: '' } }),
    () =>
      JSON.stringify({
        id: 10,
        channel: 'agent:download',
        request: { name: '../../etc/passwd', offset: 0 },
      }),
    () =>
      JSON.stringify({
        id: 11,
        channel: 'agent:discard',
        request: { name: 'benchvisor-x/../../y.zip' },
      }),
    () => JSON.stringify({ id: 12, channel: 'runs:import', request: { file: '/etc/passwd' } }),
    () => JSON.stringify({ id: 13, channel: 'experiment:validate', extra: 1 }),
    () => JSON.stringify({ id: 14, channel: '__proto__', request: {} }),
    () =>
      JSON.stringify({
        id: 15,
        channel: 'console:write',
        request: { runId: 'x', platform: 'nope', data: 'a' },
      }),
  ];
  return Array.from({ length: count }, () => pick(makers)());
}

it('answers every malformed, oversized or unknown line with an error and keeps serving', async () => {
  const data = join(tmp.dir, 'data');
  const child = spawn('node', [builtCli(), 'agent'], {
    env: {
      ...process.env,
      BENCHVISOR_DATA: data,
      BENCHVISOR_RUNS: join(data, 'runs'),
      [ENGINE_IDLE_ENV]: String(TEST_ENGINE_IDLE_S),
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  let buf = '';
  child.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split('\n');
    buf = parts.pop()!;
    lines.push(...parts);
  });
  const cases = fuzzLines(20261206, 400);
  for (const c of cases) child.stdin.write(c + '\n');
  child.stdin.write('x'.repeat(AGENT_MAX_LINE_BYTES + 10) + '\n');
  child.stdin.write(Buffer.from([0xff, 0xfe, 0x00, 0x0a]));
  child.stdin.write(JSON.stringify({ id: 999, channel: 'app:info', request: {} }) + '\n');
  const expected = cases.length + 3;
  await expect.poll(() => lines.length, { timeout: 120_000 }).toBeGreaterThanOrEqual(expected + 1);
  const [hello, ...replies] = lines.map((l) => JSON.parse(l));
  expect(hello).toMatchObject({ type: 'hello', agent: 'benchvisor-agent', protocol: 1 });
  const good = replies.find((r) => r.id === 999);
  expect(good.result).toMatchObject({ ok: true, value: { transport: 'agent' } });
  const bad = replies.filter((r) => r.id !== 999);
  expect(bad).toHaveLength(expected - 1);
  for (const r of bad) expect(r.result.ok, JSON.stringify(r)).toBe(false);
  expect(bad.some((r) => /above the \d+-byte limit/.test(r.result.error.message))).toBe(true);
  expect(bad.some((r) => /not a bundle name/.test(r.result.error.message))).toBe(true);
  expect(bad.some((r) => /not by server path/.test(r.result.error.message))).toBe(true);
  child.stdin.end();
  await new Promise((r) => child.once('close', r));
  await expect
    .poll(() => existsSync(join(data, 'agent', 'engine.pid')), { timeout: 20_000 })
    .toBe(false);
});
