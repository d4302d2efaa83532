/** Meta keys of a QEMU guest or unikernel boot: the accelerator's truth and the boot's phases. */
import { z } from 'zod';
import { metaKey } from '../define';

const ms = z.number();

export const GUEST_KEYS = {
  kvmEnabled: metaKey(
    z.boolean().nullable(),
    ['qemu', 'unikernel'],
    'QMP query-kvm enabled (null: not known for this boot)',
  ),
  kvmPresent: metaKey(z.boolean(), ['qemu'], 'QMP query-kvm present'),
  kvmFrom: metaKey(z.string(), ['qemu'], 'which query-kvm answered (now, or at boot)'),
  qemuVersion: metaKey(z.string(), ['qemu', 'unikernel'], "QEMU's version"),
  kernelVersion: metaKey(z.string(), ['qemu'], "the guest kernel's version"),
  kernelSource: metaKey(z.string(), ['qemu'], 'where the guest kernel came from'),
  initramfsBuilt: metaKey(z.boolean(), ['qemu'], 'the initramfs was built (not cached) for it'),
  kernelLookupMs: metaKey(ms, ['qemu'], 'ms finding the guest kernel'),
  initramfsMs: metaKey(ms, ['qemu'], 'ms building or finding the initramfs'),
  diskCreateMs: metaKey(ms, ['qemu'], 'ms qemu-img took to create the disk'),
  bootMs: metaKey(ms, ['qemu'], "ms from QEMU's spawn to the guest agent's READY"),
  guestFactsMs: metaKey(ms, ['qemu'], "ms reading the guest's CPU facts"),
  bootToMainMs: metaKey(
    ms.nullable(),
    ['unikernel'],
    "ms from QEMU's spawn to the unikernel's main (null: not reached)",
  ),
  guestBootMs: metaKey(ms.nullable(), ['unikernel'], 'ms the library OS says its boot took'),
  unsupportedSyscalls: metaKey(
    z.array(z.string()),
    ['unikernel'],
    'system calls the library OS refused during the repetition',
  ),
  memoryMapping: metaKey(z.string(), ['unikernel'], "how the library OS maps the guest's memory"),
};
