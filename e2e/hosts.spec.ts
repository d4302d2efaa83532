/**
 * Lab hosts in web mode, in Debian's Chromium, through a real OpenSSH server on 127.0.0.1
 * (test/support/sshd.ts; the "remote" Benchvisor has its own data folder): add a host, check it
 * (its machine, its platforms, KVM with the reason), see a refusal in the product's words (an
 * unknown host key, with the command that accepts it), run a native quick experiment on the
 * host, type into its console, and read its results in the local history with the host named.
 */
import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILT_CLI } from '../test/support/builtApp';
import { remoteCommandFor, startSshd, type TestSshd } from '../test/support/sshd';
import { startServe, type ServeHandle } from './serveProcess';
import { shot } from './webMode';

let dir: string;
let sshd: TestSshd;
let serve: ServeHandle;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'benchvisor-e2e-hosts-'));
  const clientDir = join(dir, 'client');
  sshd = await startSshd('lab1', join(dir, 'lab1'), clientDir);
  // This spec's own app: its own data folder (hosts.json) and an ssh config reaching the sshd.
  serve = await startServe(undefined, {
    BENCHVISOR_DATA: join(dir, 'local'),
    BENCHVISOR_SSH_CONFIG: join(clientDir, 'config'),
  });
});

test.afterAll(async () => {
  await serve?.stop();
  await sshd?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('add and check a lab host, run on it, type into its console, read it in the history', async ({
  page,
}, testInfo) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(serve.url);
  const command = remoteCommandFor(BUILT_CLI, sshd.remoteData);

  // Hosts: add lab1 and check it.
  await page.getByTestId('nav-hosts').click();
  await expect(page.getByTestId('hosts-view')).toBeVisible();
  await page.getByTestId('host-name').fill('lab1');
  await page.getByTestId('host-destination').fill('lab1');
  await page.getByTestId('host-command').fill(command);
  await page.getByTestId('host-add-submit').click();
  await expect(page.getByTestId('host-lab1')).toContainText('not checked yet');
  await page.getByTestId('host-check-lab1').click();
  await expect(page.getByTestId('host-facts-lab1')).toContainText('reachable', {
    timeout: 120_000,
  });
  await expect(page.getByTestId('host-machine-lab1')).toContainText('cores');
  await expect(page.getByTestId('host-platforms-lab1')).toContainText('✓ Native');
  // This machine is a VM without /dev/kvm: the host (the same machine) says so, with the reason.
  await expect(page.getByTestId('host-kvm-lab1')).toContainText(/KVM: (no — .+|yes)/);

  // A host whose key is not known: refused, with the command that shows and accepts the key.
  await page.getByTestId('host-name').fill('stranger');
  await page.getByTestId('host-destination').fill('lab1-unknown-key');
  await page.getByTestId('host-command').fill(command);
  await page.getByTestId('host-add-submit').click();
  await page.getByTestId('host-check-stranger').click();
  const problem = page.getByTestId('host-problem-stranger');
  await expect(problem).toContainText('host key', { timeout: 60_000 });
  await expect(problem).toContainText('never accepts a host key by itself');
  await expect(problem).toContainText('ssh -F');
  await shot(page, testInfo, 'hosts');

  // Wizard: native, quick, linpack only (long enough to type while it runs), one repetition.
  await page.getByTestId('nav-wizard').click();
  await expect(page.getByTestId('platform-native')).toBeChecked();
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('profile-quick').check();
  for (const id of ['memsweep', 'diskwrite', 'forksum', 'syscall', 'nginx'])
    await page.getByTestId(`bench-${id}`).uncheck();
  await page.getByTestId('param-linpack-seconds').fill('8');
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('reps-count').fill('2');
  await page.getByTestId('reps-warmup').fill('0');
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('experiment-name').fill('e2e on lab1');
  // Where to run: lab1 (checked, offers Native) instead of this machine.
  await expect(page.getByTestId('where-offers-lab1')).toContainText('Native');
  await expect(page.getByTestId('where-host-stranger')).toBeDisabled();
  await page.getByTestId('where-host-lab1').check();
  await page.getByTestId('where-here').uncheck();
  await expect(page.getByTestId('where-summary')).toContainText('Runs on lab1');
  await page.getByTestId('run-start').click();

  // The run view: named for people (not by its id), lab1's native console, live; typing
  // reaches the benchmark's terminal there.
  await expect(page.getByTestId('run-view')).toBeVisible();
  await expect(page.getByTestId('run-name')).toHaveText('e2e on lab1 · lab1');
  await expect(page.getByTestId('run-id')).toHaveCount(0);
  const terminal = page.getByTestId('console-terminal-native.on-lab1');
  await expect(terminal).toContainText('linpack', { timeout: 120_000 });
  await terminal.click();
  // One input event: the host's terminal echoes the text in one piece, between linpack's lines.
  await page.keyboard.insertText('typed-at-lab1');
  await expect(terminal).toContainText('typed-at-lab1', { timeout: 30_000 });
  await expect(page.getByTestId('progress-overall')).toBeVisible();
  await shot(page, testInfo, 'run-on-lab1');
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 180_000 });
  await expect(page.getByTestId('run-finished-message')).toContainText('lab1: completed');

  // Its results, copied home: the results view opens the local copy.
  await page.getByTestId('view-results').click();
  await expect(page.getByTestId('results-view')).toBeVisible();
  await expect(page.getByTestId('results-n-linpack-native')).toHaveText('2');
  const runId = await page.getByTestId('results-view').getAttribute('data-run-id');
  expect(runId).toBeTruthy();
  // The history names where it ran.
  await page.getByTestId('nav-history').click();
  await expect(page.getByTestId(`history-host-${runId}`)).toHaveText('lab1');
  await shot(page, testInfo, 'history-with-host');
  expect(pageErrors).toEqual([]);
});
