/**
 * A real OpenSSH server for tests: Debian's sshd on 127.0.0.1 on a free port, with its own
 * host key, configuration and an authorized key generated for the test, plus a client config
 * (`ssh -F`, through BENCHVISOR_SSH_CONFIG) whose aliases reach it in several ways: `<name>`
 * (known host key, the authorized key), `<name>-unknown-key` (empty known_hosts),
 * `<name>-wrong-key` (a key the server does not know). Each server's "remote" Benchvisor has its
 * own data folder.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, appendFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../src/main/util/freePort';
import { ENGINE_IDLE_ENV, readEnginePid } from '../../src/main/agent/engineDaemon';
import { agentPaths } from '../../src/main/agent/agentPaths';
import { pidAlive } from '../../src/main/process/pidAlive';

export interface TestSshd {
  name: string;
  port: number;
  /** The remote side's data folder (BENCHVISOR_DATA there). */
  remoteData: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

function keygen(path: string): void {
  execFileSync('ssh-keygen', [
    '-q',
    '-t',
    'ed25519',
    '-N',
    '',
    '-C',
    'benchvisor-test',
    '-f',
    path,
  ]);
}

/** The client side shared by every server of a test: one config file and one known_hosts. */
export function sshClientDir(dir: string): { config: string; knownHosts: string; key: string } {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = join(dir, 'client_key');
  if (!existsSync(key)) {
    keygen(key);
    keygen(join(dir, 'stranger_key'));
    writeFileSync(join(dir, 'config'), '');
    writeFileSync(join(dir, 'known_hosts'), '');
    writeFileSync(join(dir, 'empty_known_hosts'), '');
  }
  return { config: join(dir, 'config'), knownHosts: join(dir, 'known_hosts'), key };
}

function clientBlock(alias: string, port: number, dir: string, key: string, known: string): string {
  return [
    `Host ${alias}`,
    '  HostName 127.0.0.1',
    `  Port ${port}`,
    '  User root',
    `  IdentityFile ${join(dir, key)}`,
    '  IdentitiesOnly yes',
    `  UserKnownHostsFile ${join(dir, known)}`,
    '  GlobalKnownHostsFile /dev/null',
    '  LogLevel ERROR',
    '',
  ].join('\n');
}

function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      if (child.exitCode !== null) return reject(new Error(`sshd exited: ${log()}`));
      try {
        const out = execFileSync('ss', ['-ltnH', `sport = :${port}`]).toString();
        if (out.trim() !== '') return resolve();
      } catch {
        /* ss missing: fall through to the timer */
      }
      if (Date.now() > deadline) return reject(new Error(`sshd did not listen: ${log()}`));
      setTimeout(tick, 100);
    };
    tick();
  });
}

/** Starts one sshd whose aliases are `<name>`, `<name>-unknown-key`, `<name>-wrong-key`. */
export async function startSshd(name: string, dir: string, clientDir: string): Promise<TestSshd> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const client = sshClientDir(clientDir);
  keygen(join(dir, 'host_key'));
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${client.key}.pub`));
  const port = await freePort();
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_key')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'PermitRootLogin prohibit-password',
      'UsePAM no',
      'StrictModes no',
      'LogLevel ERROR',
      '',
    ].join('\n'),
  );
  const hostPub = readFileSync(join(dir, 'host_key.pub'), 'utf8').trim().split(' ');
  appendFileSync(client.knownHosts, `[127.0.0.1]:${port} ${hostPub[0]} ${hostPub[1]}\n`);
  appendFileSync(
    client.config,
    clientBlock(name, port, clientDir, 'client_key', 'known_hosts') +
      clientBlock(`${name}-unknown-key`, port, clientDir, 'client_key', 'empty_known_hosts') +
      clientBlock(`${name}-wrong-key`, port, clientDir, 'stranger_key', 'known_hosts'),
  );
  let log = '';
  const child = spawn('/usr/sbin/sshd', ['-f', config, '-D', '-e'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  await waitForPort(port, child, () => log);
  const remoteData = join(dir, 'data');
  return {
    name,
    port,
    remoteData,
    process: child,
    stop: async () => {
      await stopAgentEngine(remoteData);
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    },
  };
}

/**
 * Stops the agent engine of a data folder, if one is running (SIGTERM: it cancels its run and
 * leaves), and waits until it has gone: an engine stays warm for minutes by default.
 */
export async function stopAgentEngine(dataDir: string): Promise<void> {
  const pid = readEnginePid(agentPaths(dataDir).pidFile);
  if (pid === null || !pidAlive(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + ENGINE_STOP_WAIT_MS;
  while (pidAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (pidAlive(pid)) process.kill(pid, 'SIGKILL');
}

/** How long an engine gets to leave after SIGTERM before it is killed. */
const ENGINE_STOP_WAIT_MS = 20_000;

/**
 * How long a test host's engine stays warm once idle: tests check that nothing is left behind
 * when they end, so their engines leave within seconds instead of the product's minutes.
 */
export const TEST_ENGINE_IDLE_S = 2;

/**
 * The --command for a test host: the built CLI with that host's own data folder, its engine
 * idling `idleSeconds` (TEST_ENGINE_IDLE_S; 'default' keeps the product's own idle time).
 */
export function remoteCommandFor(
  cli: string,
  remoteData: string,
  idleSeconds: number | 'default' = TEST_ENGINE_IDLE_S,
): string {
  const idle = idleSeconds === 'default' ? '' : ` ${ENGINE_IDLE_ENV}=${idleSeconds}`;
  return `env BENCHVISOR_DATA=${remoteData} BENCHVISOR_RUNS=${remoteData}/runs${idle} node ${cli}`;
}
