import { describe, expect, it } from 'vitest';
import { qemuImgCreateArgs } from '../../src/main/qemu/disk';
import { AGENT_PORT_NAME, buildQemuArgs, type QemuLaunchSpec } from '../../src/main/qemu/qemuArgs';

const base: QemuLaunchSpec = {
  accel: 'tcg',
  vcpus: 2,
  memoryMiB: 512,
  kernel: '/k/vmlinuz',
  initrd: '/c/initramfs.cpio.gz',
  qmpSocket: '/t/qmp.sock',
  agentSocket: '/t/agent.sock',
  disk: { path: '/t/disk.qcow2', format: 'qcow2', cacheMode: 'writethrough' },
  forwards: [{ hostPort: 34567, guestPort: 8080 }],
};

/** The value following a flag (first occurrence). */
function after(args: string[], flag: string): string | undefined {
  return args[args.indexOf(flag) + 1];
}
function allAfter(args: string[], flag: string): string[] {
  return args.flatMap((a, i) => (a === flag ? [args[i + 1] ?? ''] : []));
}

describe('QEMU command line', () => {
  it('TCG: multi-threaded TCG, shape, serial console, QMP, agent, disk, hostfwd on loopback', () => {
    const a = buildQemuArgs(base);
    expect(after(a, '-accel')).toBe('tcg,thread=multi');
    expect(after(a, '-cpu')).toBe('max');
    expect(after(a, '-smp')).toBe('2');
    expect(after(a, '-m')).toBe('512M');
    // Ctrl-C reaches the guest: the console's stdio chardev does not turn it into SIGINT.
    expect(after(a, '-serial')).toBe('chardev:console0');
    expect(a).toContain('-no-reboot');
    expect(a).toContain('-nodefaults');
    expect(after(a, '-append')).toBe('console=ttyS0 quiet panic=-1');
    expect(after(a, '-qmp')).toBe('unix:/t/qmp.sock,server=on,wait=off');
    expect(allAfter(a, '-chardev')).toEqual([
      'stdio,id=console0,signal=off,mux=off',
      'socket,id=agent0,path=/t/agent.sock,server=on,wait=off',
    ]);
    expect(allAfter(a, '-device')).toEqual([
      'virtio-serial-pci,id=vser0',
      `virtserialport,bus=vser0.0,chardev=agent0,name=${AGENT_PORT_NAME}`,
      'virtio-net-pci,netdev=net0',
      'virtio-blk-pci,drive=bench0',
    ]);
    expect(after(a, '-netdev')).toBe('user,id=net0,hostfwd=tcp:127.0.0.1:34567-:8080');
    expect(after(a, '-drive')).toBe(
      'file=/t/disk.qcow2,format=qcow2,if=none,id=bench0,cache=writethrough,aio=threads,werror=report,rerror=report',
    );
    // O_DIRECT cache modes use Linux native AIO instead of the thread pool
    for (const cacheMode of ['none', 'directsync'] as const)
      expect(
        after(buildQemuArgs({ ...base, disk: { ...base.disk!, cacheMode } }), '-drive'),
      ).toMatch(new RegExp(`cache=${cacheMode},aio=native,werror=report,rerror=report$`));
  });

  it('KVM: -accel kvm with the host CPU, and nothing that could fall back to TCG', () => {
    const a = buildQemuArgs({ ...base, accel: 'kvm' });
    expect(allAfter(a, '-accel')).toEqual(['kvm']);
    expect(after(a, '-cpu')).toBe('host');
    expect(a.join(' ')).not.toMatch(/tcg/);
  });

  it('a bare boot has no agent, disk or network devices', () => {
    const { agentSocket: _a, disk: _d, forwards: _f, ...bare } = base;
    const a = buildQemuArgs({ ...bare, noNetwork: true });
    expect(a).not.toContain('-device');
    expect(a).not.toContain('-netdev');
    expect(a).not.toContain('-drive');
  });

  it('refuses paths that would break QEMU option syntax', () => {
    expect(() => buildQemuArgs({ ...base, qmpSocket: '/t/a,b.sock' })).toThrow(
      /QMP socket path must not contain a comma/,
    );
  });

  it('qemu-img create: format, preallocation, size; metadata preallocation only for qcow2', () => {
    expect(
      qemuImgCreateArgs({
        path: '/t/d.qcow2',
        format: 'qcow2',
        sizeMiB: 256,
        preallocation: 'metadata',
      }),
    ).toEqual([
      'create',
      '-q',
      '-f',
      'qcow2',
      '-o',
      'preallocation=metadata',
      '/t/d.qcow2',
      '256M',
    ]);
    expect(
      qemuImgCreateArgs({ path: '/t/d.raw', format: 'raw', sizeMiB: 64, preallocation: 'off' }),
    ).toEqual(['create', '-q', '-f', 'raw', '/t/d.raw', '64M']);
    expect(() =>
      qemuImgCreateArgs({
        path: '/t/d.raw',
        format: 'raw',
        sizeMiB: 64,
        preallocation: 'metadata',
      }),
    ).toThrow(/"metadata" applies to qcow2 only/);
  });
});
