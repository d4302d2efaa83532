/** The benchmark catalogue (DESIGN.md §3): one entry per benchmark. */
import type { Capability } from '../platforms';
import { BENCHMARK_IDS, type BenchmarkDef, type BenchmarkId, type BenchmarkTraits } from './types';

const MiB = 1024 * 1024;

const linpack = {
  id: 'linpack',
  title: 'LINPACK',
  explanation:
    'Floating point: LU factorisation with partial pivoting and solve of an n×n system, repeated until the timed part lasts long enough; checks the residual.',
  params: [
    {
      key: 'size',
      label: 'Array size',
      integer: true,
      min: 4,
      max: 4000,
      help: 'Leading dimension; n = size/2.',
      flag: '--size',
    },
    {
      key: 'seconds',
      label: 'Minimum timed seconds',
      unit: 's',
      integer: false,
      min: 0.01,
      max: 600,
      help: 'Repetitions double until the timed part lasts this long.',
      flag: '--seconds',
    },
  ],
  profiles: { quick: { size: 200, seconds: 0.2 }, standard: { size: 200, seconds: 10 } },
  metrics: [
    { key: 'kflops', label: 'KFLOPS', unit: 'KFLOPS', direction: 'higher' },
    { key: 'residual', label: 'Normalised residual', unit: '', direction: 'lower' },
  ],
  mainMetric: 'kflops',
  requires: ['float'],
  binary: true,
  traits: {
    cpuBound: true,
    kernelBound: false,
    deviceBound: false,
    parallel: false,
    needsService: false,
  },
  nativeSeconds: { quick: 0.5, standard: 11 },
  build: { libs: ['-lm'] },
} satisfies BenchmarkDef;

const memsweep = {
  id: 'memsweep',
  title: 'memsweep',
  explanation:
    'Memory and TLB: writes 10×size bytes at stride 4097 over a fresh allocation, so page faults and TLB misses dominate.',
  params: [
    {
      key: 'size',
      label: 'Buffer size',
      unit: 'bytes',
      integer: true,
      min: 4096,
      max: 64 * 1024 * MiB,
      help: 'Bytes allocated (untouched) before the sweep.',
      flag: '--size',
    },
  ],
  profiles: { quick: { size: 4 * MiB }, standard: { size: 64 * MiB } },
  metrics: [{ key: 'seconds', label: 'Time', unit: 's', direction: 'lower' }],
  mainMetric: 'seconds',
  requires: ['memory'],
  binary: true,
  traits: {
    cpuBound: false,
    kernelBound: true,
    deviceBound: false,
    parallel: false,
    needsService: false,
  },
  nativeSeconds: { quick: 0.2, standard: 3 },
  build: { libs: ['-lm'] },
} satisfies BenchmarkDef;

const diskwrite = {
  id: 'diskwrite',
  title: 'Disk write',
  explanation:
    'Block I/O: sequential write in fixed blocks with O_DIRECT where supported and an fsync at the end.',
  params: [
    {
      key: 'sizeMiB',
      label: 'Total size',
      unit: 'MiB',
      integer: true,
      min: 1,
      max: 65536,
      help: 'MiB written.',
      flag: '--size-mib',
    },
    {
      key: 'blockKiB',
      label: 'Block size',
      unit: 'KiB',
      integer: true,
      min: 4,
      max: 65536,
      help: 'Size of each write() call.',
      flag: '--block-kib',
    },
    {
      key: 'firstWrite',
      label: 'Time the first write',
      integer: true,
      min: 0,
      max: 1,
      help: 'Off: an untimed fill, then the overwrite is timed. On: no fill, the first write is timed, allocation included (what qcow2 costs on fresh space).',
      flag: '--no-fill',
      switch: true,
    },
  ],
  profiles: {
    quick: { sizeMiB: 16, blockKiB: 256, firstWrite: 0 },
    standard: { sizeMiB: 512, blockKiB: 1024, firstWrite: 0 },
  },
  metrics: [
    { key: 'mbps', label: 'Throughput', unit: 'MB/s', direction: 'higher' },
    { key: 'seconds', label: 'Time', unit: 's', direction: 'lower' },
  ],
  mainMetric: 'mbps',
  diskSpaceParam: 'sizeMiB',
  requires: ['disk'],
  binary: true,
  traits: {
    cpuBound: false,
    kernelBound: false,
    deviceBound: true,
    parallel: false,
    needsService: false,
  },
  nativeSeconds: { quick: 0.3, standard: 6 },
  build: { libs: ['-lm'] },
  diskTargetFlag: '--file',
} satisfies BenchmarkDef;

const forksum = {
  id: 'forksum',
  title: 'Fork sum',
  explanation:
    'Process creation: sums [start,end] with a binary tree of forked children reporting through pipes (2N−2 forks); checks the sum.',
  params: [
    {
      key: 'start',
      label: 'Range start',
      integer: true,
      min: 0,
      max: 1e9,
      help: 'First number of the range.',
      flag: '--start',
    },
    {
      key: 'end',
      label: 'Range end',
      integer: true,
      min: 0,
      max: 1e9,
      help: 'Last number of the range (inclusive).',
      flag: '--end',
    },
  ],
  profiles: { quick: { start: 1, end: 100 }, standard: { start: 1, end: 20000 } },
  metrics: [
    { key: 'seconds', label: 'Time', unit: 's', direction: 'lower' },
    { key: 'forks', label: 'Forks', unit: '', direction: 'lower' },
  ],
  mainMetric: 'seconds',
  requires: ['fork'],
  binary: true,
  traits: {
    cpuBound: false,
    kernelBound: true,
    deviceBound: false,
    parallel: true,
    needsService: false,
  },
  nativeSeconds: { quick: 0.1, standard: 4 },
  build: { libs: ['-lm'] },
} satisfies BenchmarkDef;

const syscall = {
  id: 'syscall',
  title: 'System call',
  explanation:
    'System call cost: N getppid() calls in a loop, separating syscall cost from fork cost.',
  params: [
    {
      key: 'count',
      label: 'Calls',
      integer: true,
      min: 1,
      max: 1e10,
      help: 'Number of getppid() calls.',
      flag: '--count',
    },
  ],
  profiles: { quick: { count: 200000 }, standard: { count: 20000000 } },
  metrics: [
    { key: 'nsPerCall', label: 'Cost per call', unit: 'ns', direction: 'lower' },
    { key: 'seconds', label: 'Time', unit: 's', direction: 'lower' },
  ],
  mainMetric: 'nsPerCall',
  requires: ['syscall'],
  binary: true,
  traits: {
    cpuBound: false,
    kernelBound: true,
    deviceBound: false,
    parallel: false,
    needsService: false,
  },
  nativeSeconds: { quick: 0.1, standard: 5 },
  build: { libs: ['-lm'] },
} satisfies BenchmarkDef;

const nginx = {
  id: 'nginx',
  title: 'nginx',
  explanation:
    'Network serving: nginx inside the platform serves a static file; the host fetches it repeatedly over keep-alive connections through the platform’s network path.',
  params: [
    {
      key: 'fileSize',
      label: 'File size',
      unit: 'bytes',
      integer: true,
      min: 1,
      max: 1024 * MiB,
      help: 'Size of the served file.',
    },
    {
      key: 'requests',
      label: 'Requests',
      integer: true,
      min: 1,
      max: 10000000,
      help: 'Total requests sent by the host.',
    },
    {
      key: 'connections',
      label: 'Connections',
      integer: true,
      min: 1,
      max: 1024,
      help: 'Concurrent keep-alive connections.',
    },
  ],
  profiles: {
    quick: { fileSize: 64 * 1024, requests: 200, connections: 4 },
    standard: { fileSize: 1024 * 1024, requests: 2000, connections: 8 },
  },
  metrics: [
    { key: 'totalMs', label: 'Total time', unit: 'ms', direction: 'lower' },
    { key: 'mbps', label: 'Throughput', unit: 'MB/s', direction: 'higher' },
    { key: 'p50Ms', label: 'Latency p50', unit: 'ms', direction: 'lower' },
    { key: 'p99Ms', label: 'Latency p99', unit: 'ms', direction: 'lower' },
  ],
  mainMetric: 'totalMs',
  requires: ['network'],
  binary: false,
  traits: {
    cpuBound: false,
    kernelBound: false,
    deviceBound: true,
    parallel: true,
    needsService: true,
  },
  nativeSeconds: { quick: 0.5, standard: 4 },
} satisfies BenchmarkDef;

/** Every benchmark, keyed by id. Adding one: an entry here, its id in BENCHMARK_IDS (types.ts). */
const ENTRIES = { linpack, memsweep, diskwrite, forksum, syscall, nginx } as const;

export const CATALOGUE: Record<BenchmarkId, BenchmarkDef> = ENTRIES satisfies Record<
  BenchmarkId,
  BenchmarkDef
>;

/** The benchmarks that are static binaries built from resources/bench/<id>.c. */
export type BinaryName = {
  [K in keyof typeof ENTRIES]: (typeof ENTRIES)[K]['binary'] extends true ? K : never;
}[keyof typeof ENTRIES];

function isBinary(id: BenchmarkId): id is BinaryName {
  return CATALOGUE[id].binary;
}

/** Binary benchmark ids in catalogue order (payload, build script, native checks, tests). */
export const BINARY_NAMES: readonly BinaryName[] = BENCHMARK_IDS.filter(isBinary);

/** The binary benchmarks a platform with these capabilities can run (the library OS's images). */
export function binariesRunnableWith(capabilities: readonly Capability[]): BinaryName[] {
  return BINARY_NAMES.filter((id) => CATALOGUE[id].requires.every((c) => capabilities.includes(c)));
}

/** Benchmark ids with this trait, in catalogue order (findings read traits, never id lists). */
export function benchmarksWith(trait: keyof BenchmarkTraits, value = true): BenchmarkId[] {
  return BENCHMARK_IDS.filter((id) => CATALOGUE[id].traits[trait] === value);
}
