/**
 * `benchvisor serve` on a network address (issue #9 item 7): a non-loopback --host needs the
 * explicit --expose opt-in, and then the server says what it exposes (the built CLI's exit 2:
 * cliRefusals.integration.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/main/cli/command';
import { parseServeArgs } from '../../src/main/cli/serve';
import { exposureNotice, isLoopbackHost } from '../../src/main/cli/serveExposure';

describe('serve --host', () => {
  it('refuses a non-loopback host without --expose, naming the risk and the safe way', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.20', 'lab.example', '::ffff:10.0.0.1']) {
      expect(() => parseServeArgs(['--host', host]), host).toThrow(UsageError);
      expect(() => parseServeArgs(['--host', host]), host).toThrow(/--expose.*SSH tunnel/s);
    }
    expect(parseServeArgs(['--host', '0.0.0.0', '--expose'])).toMatchObject({
      host: '0.0.0.0',
      expose: true,
    });
  });

  it('needs no opt-in on loopback', () => {
    for (const host of ['127.0.0.1', '127.0.0.2', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1'])
      expect(isLoopbackHost(host), host).toBe(true);
    expect(parseServeArgs([])).toMatchObject({ host: '127.0.0.1', expose: false });
    expect(parseServeArgs(['--host', '::1']).expose).toBe(false);
  });

  it('says what a network-facing server exposes and how to tunnel instead', () => {
    const text = exposureNotice('0.0.0.0', 7411);
    expect(text).toMatch(/plain HTTP/);
    expect(text).toMatch(/start benchmark runs/);
    expect(text).toMatch(/delete runs/);
    expect(text).toContain('ssh -L 7411:127.0.0.1:7411');
  });
});
