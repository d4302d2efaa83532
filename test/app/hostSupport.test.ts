/** Issue #25 item 6: Linux is the supported host; anywhere else the shells say so at start. */
import { describe, expect, it } from 'vitest';
import { hostSupportNote } from '../../src/main/shell/hostSupport';

describe('hostSupportNote', () => {
  it('nothing to say on Linux', () => {
    expect(hostSupportNote('linux')).toBeNull();
  });

  it('macOS and Windows: not supported, with what to do instead', () => {
    for (const platform of ['darwin', 'win32']) {
      const note = hostSupportNote(platform);
      expect(note).toMatch(/supports Linux hosts only/);
      expect(note).toContain(`this is ${platform}`);
      expect(note).toContain('npx benchvisor serve');
    }
  });
});
