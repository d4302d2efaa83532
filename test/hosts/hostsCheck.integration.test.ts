/**
 * Hosts through a real OpenSSH server (Debian's sshd on 127.0.0.1): `hosts add/list/check/remove`
 * with the built CLI, and each refusal with its specific message — unknown host key, a key the
 * server refuses, no Benchvisor at the destination, an incompatible agent.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtCli } from '../support/builtApp';
import { remoteCommandFor, startSshd, type TestSshd } from '../support/sshd';
import { tempDir } from '../engine/helpers';

const tmp = tempDir('hosts-check');
const clientDir = join(tmp.dir, 'client');
const localData = join(tmp.dir, 'local');
let sshd: TestSshd;
let cli: string;

function bv(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'node',
      [cli, ...args],
      {
        env: {
          ...process.env,
          BENCHVISOR_DATA: localData,
          BENCHVISOR_RUNS: join(localData, 'runs'),
          BENCHVISOR_SSH_CONFIG: join(clientDir, 'config'),
        },
        timeout: 150_000,
      },
      (error, stdout, stderr) =>
        resolve({
          code: error ? ((error as { code?: number }).code ?? 1) : 0,
          stdout: String(stdout),
          stderr: String(stderr),
        }),
    );
  });
}

beforeAll(async () => {
  cli = builtCli();
  sshd = await startSshd('lab1', join(tmp.dir, 'lab1'), clientDir);
});

afterAll(async () => {
  await sshd?.stop();
  tmp.cleanup();
});

describe('hosts over a real sshd', () => {
  it('adds, lists, checks (facts and doctor), and removes a host', async () => {
    const command = remoteCommandFor(cli, sshd.remoteData);
    expect((await bv(['hosts', 'add', 'lab1', 'lab1', '--command', command])).code).toBe(0);
    const listed = await bv(['hosts', 'list', '--json']);
    expect(JSON.parse(listed.stdout)).toMatchObject([{ name: 'lab1', destination: 'lab1' }]);
    const checked = await bv(['hosts', 'check', 'lab1', '--json']);
    expect(checked.code, checked.stderr).toBe(0);
    const report = JSON.parse(checked.stdout);
    expect(report.ok).toBe(true);
    expect(report.facts.cores).toBeGreaterThan(0);
    expect(report.facts.kernel).toMatch(/\d/);
    const kvm = report.doctor.platforms.find((p: { id: string }) => p.id === 'qemu-kvm');
    expect(kvm.availability.available).toBe(false);
    expect(kvm.availability.reason).toMatch(/kvm/i);
    const text = await bv(['hosts', 'check', 'lab1']);
    expect(text.stdout).toMatch(
      /✓ lab1: Benchvisor \S+ on .*\n\s+CPU .*, \d+ cores, .* GiB, kernel /,
    );
    expect((await bv(['hosts', 'list'])).stdout).toMatch(/lab1\s+lab1\s+.*ok \(/);
    // The remote engine leaves once no client is attached.
    await expect
      .poll(() => existsSync(join(sshd.remoteData, 'agent', 'engine.pid')), { timeout: 20_000 })
      .toBe(false);
    expect((await bv(['hosts', 'remove', 'lab1'])).code).toBe(0);
    expect(JSON.parse((await bv(['hosts', 'list', '--json'])).stdout)).toEqual([]);
  });

  it('refuses an unknown host key with the command that shows and accepts it', async () => {
    const command = remoteCommandFor(cli, sshd.remoteData);
    await bv(['hosts', 'add', 'stranger', 'lab1-unknown-key', '--command', command]);
    const r = await bv(['hosts', 'check', 'stranger']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/host key of lab1-unknown-key is not known/);
    expect(r.stdout).toMatch(/fix: run `ssh -F \S+ lab1-unknown-key` once in a terminal/);
  });

  it('refuses a key the server does not accept, never asking for a password', async () => {
    await bv(['hosts', 'add', 'wrongkey', 'lab1-wrong-key']);
    const r = await bv(['hosts', 'check', 'wrongkey']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/refused the login .*never asks for a password/);
    expect(r.stdout).toMatch(/ssh-copy-id lab1-wrong-key/);
  });

  it('says Benchvisor is not installed at the destination', async () => {
    await bv(['hosts', 'add', 'bare', 'lab1', '--command', 'benchvisor-nowhere']);
    const r = await bv(['hosts', 'check', 'bare']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Benchvisor is not installed at lab1/);
    expect(r.stdout).toMatch(/scripts\/setup.sh/);
  });

  it('refuses an agent that speaks another protocol version', async () => {
    // An old agent: says hello with protocol 0 (a stand-in for an older Benchvisor).
    const old = `node -e 'console.log(JSON.stringify({type:"hello",agent:"benchvisor-agent",protocol:0,version:"0.0.1"}))' #`;
    await bv(['hosts', 'add', 'old', 'lab1', '--command', old]);
    const r = await bv(['hosts', 'check', 'old']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /runs Benchvisor 0\.0\.1 \(agent protocol 0\); this app is .* protocol 1/,
    );
    expect(readdirSync(localData)).toContain('hosts.json');
  });
});
