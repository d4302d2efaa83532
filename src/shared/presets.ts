/**
 * Built-in experiments the wizard offers on its first page, one click each (no file picker):
 * the seed study, native vs Docker, raw vs qcow2 and the unikernel. Plain experiment configs,
 * validated by the same schema as a config file (test/engine/presets.test.ts).
 */
export interface Preset {
  id: string;
  title: string;
  /** One line: what it answers. */
  description: string;
  /** An experiment config as a file would hold it (shared/config.ts fills in the defaults). */
  config: Record<string, unknown>;
}

export const PRESETS: readonly Preset[] = [
  {
    id: 'seed-study',
    title: 'The seed study',
    description:
      'Native, Docker, QEMU TCG and the unikernel on LINPACK, System call, Disk write and Fork sum: what does each layer cost, and why?',
    config: {
      name: 'The seed study: native vs Docker vs QEMU TCG vs unikernel TCG',
      platforms: ['native', 'docker', 'qemu-tcg', 'unikernel-tcg'],
      profile: 'quick',
      benchmarks: ['linpack', 'syscall', 'diskwrite', 'forksum'],
      guest: { vcpus: 1, memoryMiB: 512, diskFormat: 'raw', cacheMode: 'none' },
      repetitions: { count: 3, warmup: 0 },
      skipUnavailable: true,
      expectations: [],
    },
  },
  {
    id: 'native-docker',
    title: 'Native vs Docker',
    description:
      'Does a container cost anything? The same binaries on the host and in a container.',
    config: {
      name: 'Native vs Docker',
      platforms: ['native', 'docker'],
      profile: 'quick',
      benchmarks: ['linpack', 'memsweep', 'diskwrite', 'forksum', 'syscall'],
      guest: { vcpus: 1, memoryMiB: 512 },
      docker: { network: 'host', diskOn: 'scratch' },
      repetitions: { count: 5, warmup: 0 },
      expectations: [],
    },
  },
  {
    id: 'raw-qcow2',
    title: 'Raw vs qcow2',
    description:
      'Disk image formats on a QEMU TCG guest: the same disk write on a raw and a qcow2 image.',
    config: {
      name: 'Disk formats: raw vs qcow2 (QEMU TCG)',
      platforms: ['qemu-tcg'],
      profile: 'quick',
      benchmarks: ['diskwrite'],
      guest: { vcpus: 1, memoryMiB: 512, diskFormat: ['raw', 'qcow2'], cacheMode: 'none' },
      repetitions: { count: 5, warmup: 0 },
      expectations: [],
    },
  },
  {
    id: 'unikernel',
    title: 'The unikernel',
    description:
      'Our library OS against a full Linux guest and the host, all under TCG where it applies.',
    config: {
      name: 'Native vs QEMU TCG vs unikernel TCG',
      platforms: ['native', 'qemu-tcg', 'unikernel-tcg'],
      profile: 'quick',
      benchmarks: ['linpack', 'memsweep', 'syscall', 'diskwrite'],
      guest: { memoryMiB: 512, diskFormat: 'raw', cacheMode: 'none' },
      repetitions: { count: 3, warmup: 0 },
      expectations: [],
    },
  },
];
