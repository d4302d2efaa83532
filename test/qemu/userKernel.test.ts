/** The guest kernel the user picks in the wizard (config guest.kernelPath) wins over every lookup. */
import { describe, expect, it } from 'vitest';
import { createQemuPlatform } from '../../src/main/platforms/qemu/qemuPlatform';
import { ProcessTracker } from '../../src/main/process/tracker';
import { config, prepareContext, qemuTestPaths, scratchDir } from './helpers';

describe('qemu: user-picked guest kernel', () => {
  it('a missing kernel file named in the config fails prepare with that path, starting nothing', async () => {
    const scratch = scratchDir('user-kernel');
    try {
      const tracker = new ProcessTracker();
      const platform = createQemuPlatform('tcg', {
        paths: qemuTestPaths(),
        tracker,
        scratchDir: scratch.dir,
      });
      const missing = `${scratch.dir}/no-such-vmlinuz`;
      const cfg = config({ guest: { kernelPath: missing } });
      expect(cfg.guest.kernelPath).toBe(missing);
      await expect(platform.prepare(prepareContext(cfg, scratch.dir))).rejects.toThrow(
        `the chosen guest kernel ${missing} does not exist or is not readable`,
      );
      expect(tracker.size).toBe(0);
    } finally {
      scratch.cleanup();
    }
  });
});
