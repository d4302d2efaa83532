import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ElfFile } from '../../src/main/qemu/elf';
import { moduleName, parseModulesDep, selectModules } from '../../src/main/qemu/modules';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A tiny but valid ELF64 relocatable with a .modinfo section, like a kernel module. */
function fakeModule(modinfo: Record<string, string>): Buffer {
  const info = Buffer.from(
    Object.entries(modinfo)
      .map(([k, v]) => `${k}=${v}\0`)
      .join(''),
  );
  const shstr = Buffer.from('\0.modinfo\0.shstrtab\0');
  const ehdrSize = 64;
  const infoOff = ehdrSize;
  const shstrOff = infoOff + info.length;
  const shoff = Math.ceil((shstrOff + shstr.length) / 8) * 8;
  const shentsize = 64;
  const buf = Buffer.alloc(shoff + 3 * shentsize);
  buf.writeUInt32LE(0x464c457f, 0);
  buf[4] = 2; // 64-bit
  buf[5] = 1; // little-endian
  buf[6] = 1;
  buf.writeUInt16LE(1, 16); // ET_REL
  buf.writeUInt16LE(62, 18); // x86-64
  buf.writeBigUInt64LE(BigInt(shoff), 0x28);
  buf.writeUInt16LE(ehdrSize, 0x34);
  buf.writeUInt16LE(shentsize, 0x3a);
  buf.writeUInt16LE(3, 0x3c);
  buf.writeUInt16LE(2, 0x3e);
  info.copy(buf, infoOff);
  shstr.copy(buf, shstrOff);
  const section = (i: number, name: number, type: number, off: number, size: number): void => {
    const b = shoff + i * shentsize;
    buf.writeUInt32LE(name, b);
    buf.writeUInt32LE(type, b + 4);
    buf.writeBigUInt64LE(BigInt(off), b + 0x18);
    buf.writeBigUInt64LE(BigInt(size), b + 0x20);
  };
  section(1, 1, 1, infoOff, info.length);
  section(2, 10, 3, shstrOff, shstr.length);
  return buf;
}

function tree(files: Record<string, Buffer | string>): string {
  const d = mkdtempSync(join(tmpdir(), 'bv-mod-'));
  dirs.push(d);
  for (const [rel, data] of Object.entries(files)) {
    mkdirSync(join(d, rel, '..'), { recursive: true });
    writeFileSync(join(d, rel), data);
  }
  return d;
}

describe('kernel module selection', () => {
  it('reads depends= from .modinfo when there is no modules.dep, dependencies first', async () => {
    const d = tree({
      'kernel/drivers/virtio/virtio_ring.ko': fakeModule({ depends: '' }),
      'kernel/drivers/virtio/virtio.ko': fakeModule({ depends: 'virtio_ring' }),
      'kernel/net/core/failover.ko': fakeModule({ depends: '' }),
      'kernel/drivers/net/net_failover.ko': fakeModule({ depends: 'failover' }),
      'kernel/drivers/net/virtio_net.ko': fakeModule({
        depends: 'virtio_ring,virtio,net_failover',
        license: 'GPL',
      }),
    });
    const s = await selectModules(d, ['virtio_net']);
    expect(s.ordered.map((m) => m.name)).toEqual([
      'virtio_ring',
      'virtio',
      'failover',
      'net_failover',
      'virtio_net',
    ]);
    expect(s.ordered[4]!.relPath).toBe('kernel/drivers/net/virtio_net.ko');
    expect(ElfFile.parse(s.ordered[4]!.data).modinfo()).toContainEqual(['license', 'GPL']);
  });

  it('uses modules.dep and modules.builtin when present', async () => {
    const d = tree({
      'modules.dep':
        'kernel/drivers/block/virtio_blk.ko: kernel/drivers/virtio/virtio_ring.ko\nkernel/drivers/virtio/virtio_ring.ko:\n',
      'modules.builtin': 'kernel/drivers/virtio/virtio.ko\n',
      'kernel/drivers/block/virtio_blk.ko': 'not parsed when modules.dep exists',
      'kernel/drivers/virtio/virtio_ring.ko': 'ring',
    });
    const s = await selectModules(d, ['virtio_blk', 'virtio']);
    expect(s.ordered.map((m) => m.name)).toEqual(['virtio_ring', 'virtio_blk']);
    expect(s.builtin).toEqual(['virtio']);
  });

  it('says which module is missing and who needs it', async () => {
    const d = tree({ 'kernel/a.ko': fakeModule({ depends: 'b' }) });
    await expect(selectModules(d, ['a'])).rejects.toThrow(
      /kernel module b \(needed by a\) is neither in .* nor built in/,
    );
  });

  it('normalises names and parses modules.dep', () => {
    expect(moduleName('kernel/x/virtio-net.ko.xz')).toBe('virtio_net');
    expect(
      parseModulesDep('kernel/a.ko.zst: kernel/b.ko.zst kernel/c-d.ko.zst\n').get('a'),
    ).toEqual({
      path: 'kernel/a.ko.zst',
      deps: ['b', 'c_d'],
    });
  });
});
