/** Meta keys of the kernel and CPU a target runs on, and where its disk's bytes land on the host. */
import { z } from 'zod';
import { metaKey } from '../define';

const ALL = ['native', 'docker', 'qemu', 'unikernel'] as const;

export const HOST_FACT_KEYS = {
  platform: metaKey(z.string(), ['native'], 'the platform (native samples record it)'),
  kernel: metaKey(z.string(), ['native'], "the host kernel's release"),
  clocksource: metaKey(z.string(), ['native', 'docker', 'qemu'], "the kernel's clocksource"),
  cpuVendor: metaKey(z.string(), ['native', 'docker', 'qemu'], 'CPU vendor as the kernel sees it'),
  cpuModel: metaKey(z.string(), ['native', 'docker', 'qemu'], 'CPU model as the kernel sees it'),
  cpuVulnerabilities: metaKey(
    z.record(z.string(), z.string()),
    ['native', 'docker', 'qemu'],
    "the kernel's CPU vulnerability mitigations, by name",
  ),
  cpuFactsFrom: metaKey(z.string(), ['native', 'docker', 'qemu'], 'whose kernel the CPU facts are'),
  diskHostPath: metaKey(z.string(), ALL, "the disk target's path on the host"),
  diskHostFs: metaKey(z.string(), ALL, "the host filesystem under the disk target ('unknown')"),
  diskHostInRam: metaKey(z.boolean(), ALL, "the disk target's bytes are in RAM (tmpfs)"),
  diskHostMount: metaKey(z.string(), ALL, 'the host mount point under the disk target'),
};
