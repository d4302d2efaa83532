/**
 * Ctrl-C typed into a guest's live console stops the command in the guest
 * shell and leaves QEMU running (the serial chardev has signal=off). A real
 * TCG guest: `sleep 100` started from the console, Ctrl-C, the prompt answers
 * long before the 100 s are up, and QEMU and its QMP are still there.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createBenchmarkRunners } from '../../src/main/benchmarks/registry';
import { createQemuPlatform } from '../../src/main/platforms/qemu/qemuPlatform';
import { ProcessTracker } from '../../src/main/process/tracker';
import {
  config,
  prepareContext,
  qemuProcesses,
  qemuTestPaths,
  scratchDir,
  waitFor,
} from './helpers';

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));
/** Far below the 100 s sleep: the prompt must come back because of Ctrl-C, not the timer. */
const PROMPT_BACK_MS = 30_000;
const CTRL_C = '\x03';

describe('serial console keystrokes (real TCG guest)', () => {
  it('Ctrl-C interrupts `sleep 100` in the guest shell; QEMU stays alive', async () => {
    const s = scratchDir('ctrlc');
    cleanups.push(s.cleanup);
    const tracker = new ProcessTracker();
    const platform = createQemuPlatform('tcg', {
      paths: qemuTestPaths(),
      tracker,
      runners: createBenchmarkRunners(),
      scratchDir: s.dir,
    });
    const ctx = prepareContext(config({ guest: { diskSizeMiB: 16 } }), s.dir);
    const session = await platform.prepare(ctx);
    try {
      // the shell prompt is up once an echo answers
      expect(session.write('echo bv-up-$((20+1))\r')).toBe(true);
      expect(await waitFor(() => ctx.consoleText().includes('bv-up-21'), 60_000)).toBe(true);
      session.write('echo bv-sleeping-$((1+1)); sleep 100\r');
      expect(await waitFor(() => ctx.consoleText().includes('bv-sleeping-2'), 30_000)).toBe(true);
      // give sleep a moment to be the foreground job, then interrupt it
      await new Promise((r) => setTimeout(r, 1000));
      const interruptedAt = Date.now();
      expect(session.write(CTRL_C)).toBe(true);
      session.write('echo bv-back-$((3*3))\r');
      const back = await waitFor(() => ctx.consoleText().includes('bv-back-9'), PROMPT_BACK_MS);
      expect(back, `console after Ctrl-C:\n${ctx.consoleText().slice(-1500)}`).toBe(true);
      expect(Date.now() - interruptedAt).toBeLessThan(PROMPT_BACK_MS);
      // QEMU is still alive and answering QMP
      expect(qemuProcesses(s.dir)).toHaveLength(1);
      expect(await session.meta()).toMatchObject({ accel: 'tcg', kvmEnabled: false });
    } finally {
      await session.dispose();
    }
    expect(qemuProcesses(s.dir)).toEqual([]);
  }, 300_000);
});
