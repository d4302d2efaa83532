/**
 * environment.json's tool versions come from what the platforms and benchmarks declare they
 * run, not from a list of names in the experiment layer: a platform given another QEMU binary
 * records that binary's version, each name once, the build compiler last.
 */
import { describe, expect, it } from 'vitest';
import { createBenchmarkRunners } from '../../src/main/benchmarks/registry';
import { createPlatforms } from '../../src/main/composition';
import { createHostProbe } from '../../src/main/host/hostProbe';
import { BUILD_TOOLS, collectEnvironment, declaredTools } from '../../src/main/run/environment';
import { createQemuPlatform } from '../../src/main/platforms/qemu/qemuPlatform';
import { ProcessTracker } from '../../src/main/process/tracker';
import { defaultAppPaths } from '../../src/main/util/appPaths';

describe('tool versions in environment.json', () => {
  const paths = defaultAppPaths();
  const tracker = new ProcessTracker();
  const runners = createBenchmarkRunners({ paths, tracker });
  const host = createHostProbe();

  it("the engine's platforms and benchmarks declare qemu, qemu-img, docker and nginx; cc is the build's", () => {
    const platforms = createPlatforms({ paths, tracker, runners, env: process.env, host });
    const tools = declaredTools(platforms, Object.values(runners));
    expect(tools.map((t) => t.name)).toEqual(['qemu', 'qemuImg', 'docker', 'nginx', 'cc']);
    expect(tools.at(-1)).toEqual(BUILD_TOOLS[0]);
    expect(tools.find((t) => t.name === 'nginx')!.argv.at(-1)).toBe('-v');
  });

  it('a platform given another QEMU records that one; the first declaration of a name wins', () => {
    const custom = createQemuPlatform('tcg', {
      paths,
      tracker,
      qemuBinary: '/opt/qemu/bin/qemu-system-x86_64',
      qemuImg: '/opt/qemu/bin/qemu-img',
    });
    const plain = createQemuPlatform('kvm', { paths, tracker });
    expect(declaredTools([custom, plain], [])).toEqual([
      { name: 'qemu', argv: ['/opt/qemu/bin/qemu-system-x86_64', '--version'] },
      { name: 'qemuImg', argv: ['/opt/qemu/bin/qemu-img', '--version'] },
      ...BUILD_TOOLS,
    ]);
  });

  it('collectEnvironment records exactly the tools it is given, by name', async () => {
    const env = await collectEnvironment(host, [
      { name: 'runtime', argv: [process.execPath, '--version'] },
      { name: 'missing', argv: ['/nonexistent/benchvisor-tool', '--version'] },
    ]);
    expect(env.tools).toEqual({ runtime: process.version, missing: 'not installed' });
  });
});
