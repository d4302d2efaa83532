/** Drives the built CLI against a local data folder whose ssh config reaches test sshds. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function localEnv(localData: string, clientDir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    BENCHVISOR_DATA: localData,
    BENCHVISOR_RUNS: join(localData, 'runs'),
    BENCHVISOR_SSH_CONFIG: join(clientDir, 'config'),
  };
}

export function runCli(cli: string, env: NodeJS.ProcessEnv, args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile('node', [cli, ...args], { env, timeout: 400_000 }, (error, stdout, stderr) =>
      resolve({
        code: error ? ((error as { code?: number }).code ?? 1) : 0,
        stdout: String(stdout),
        stderr: String(stderr),
      }),
    );
  });
}

/** A CLI process whose stderr is collected as it arrives (to act mid-run). */
export function startCli(
  cli: string,
  env: NodeJS.ProcessEnv,
  args: string[],
): { child: ChildProcess; stderr: () => string; done: Promise<CliResult> } {
  const child = spawn('node', [cli, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<CliResult>((resolve) =>
    child.on('close', (code) => resolve({ code: code ?? 1, stdout: out, stderr: err })),
  );
  return { child, stderr: () => err, done };
}
