/** Platform identities, capabilities and availability reports (pure data). */
import { z } from 'zod';

/**
 * Every platform, in run order. Adding a platform: its id here, its traits in
 * PLATFORM_TRAITS below, its folder under src/main/platforms and one line in
 * src/main/composition.ts. Nothing else names a platform.
 */
export const PLATFORM_IDS = [
  'native',
  'docker',
  'qemu-tcg',
  'qemu-kvm',
  'unikernel-tcg',
  'unikernel-kvm',
] as const;
export const PlatformId = z.enum(PLATFORM_IDS);
export type PlatformId = z.infer<typeof PlatformId>;

/** What a benchmark can expect of a platform; benchmarks declare what they need. */
export const Capability = z.enum(['fork', 'syscall', 'float', 'memory', 'disk', 'network']);
export type Capability = z.infer<typeof Capability>;

/** A full operating system (host, container or guest kernel) offers every capability. */
export const FULL_OS_CAPABILITIES: readonly Capability[] = Capability.options;

/**
 * What the library OS (the unikernel platforms, resources/unikernel) lacks, and why, in the words
 * the run view and reports show. The one place this is said: the platform, the build of its
 * images (scripts/bench-list.ts --library-os) and the docs derive from it.
 */
export const LIBRARY_OS_LACKING: Readonly<Partial<Record<Capability, string>>> = {
  fork: 'the unikernel is one address space with no processes, so fork() has nothing to create (in a Rump unikernel it would run on the host kernel instead)',
  network: 'the library OS has no network stack (yet), so it cannot serve',
};
/** One address space, no processes, no network stack: everything else a full OS offers. */
export const LIBRARY_OS_CAPABILITIES: readonly Capability[] = FULL_OS_CAPABILITIES.filter(
  (c) => !(c in LIBRARY_OS_LACKING),
);

/** host: the machine itself; container: the host kernel with limits; vm: its own kernel. */
export type PlatformKind = 'host' | 'container' | 'vm';
/** How a virtual machine's CPU runs: emulated (TCG) or on the CPU through a hypervisor (KVM). */
export type Accelerator = 'tcg' | 'kvm';
/** Guest-shape fields (config.guest) a platform can take. */
export type GuestField =
  | 'vcpus'
  | 'memoryMiB'
  | 'diskFormat'
  | 'diskSizeMiB'
  | 'cacheMode'
  | 'preallocation'
  | 'kernelPath'
  | 'modulesDir';
/** Container options (config.docker) a platform can take. */
export type ContainerOption = 'network' | 'diskOn';

export interface PlatformInfo {
  id: PlatformId;
  title: string;
  /** For chart axes and legends. */
  shortTitle: string;
  /** One line for the wizard. */
  description: string;
  kind: PlatformKind;
  /** Machines of one family differ only in their accelerator (qemu-tcg vs qemu-kvm). */
  family: string;
  accelerator: Accelerator | null;
  /** The guest-shape fields it takes (empty: it runs on the host as it is). */
  guestFields: readonly GuestField[];
  /** The container options (config.docker) it takes (empty for hosts and machines). */
  containerOptions: readonly ContainerOption[];
  /** True when it takes a guest shape (memory, disk, ...): derived from guestFields. */
  shaped: boolean;
  /** The wizard's Guest step: 'accelerator' = a "Virtualize / Emulate" choice; 'docker' = container options. */
  wizardSection: 'accelerator' | 'docker' | null;
  /** The Guest step's checkbox for an 'accelerator' platform (label and test id). */
  wizardToggle?: { label: string; testId: string };
  /**
   * A library OS linked with the program (one address space, memory mapped at boot): findings
   * compare it with the full-OS virtual machine on the same accelerator.
   */
  libraryOs?: boolean;
  /** Review-step estimate: seconds to prepare it (build, boot). */
  startupSeconds: number;
  /** Review-step estimate: a repetition takes this many times its native time. */
  slowdown: number;
}

type Traits = Omit<PlatformInfo, 'id' | 'shaped' | 'containerOptions'> & {
  containerOptions?: readonly ContainerOption[];
};

const VM_FIELDS: readonly GuestField[] = [
  'vcpus',
  'memoryMiB',
  'diskFormat',
  'diskSizeMiB',
  'cacheMode',
  'preallocation',
  'kernelPath',
  'modulesDir',
];

/**
 * The unikernel's shape: memory and the benchmark disk as for a Linux guest; no vCPU count (the
 * library OS runs on one CPU) and no kernel (the library OS is linked into each image).
 */
const UNIKERNEL_FIELDS: readonly GuestField[] = [
  'memoryMiB',
  'diskFormat',
  'diskSizeMiB',
  'cacheMode',
  'preallocation',
];

/** Each platform's traits, declared once: the estimate, labels, findings and wizard read them. */
const TRAITS: Record<PlatformId, Traits> = {
  native: {
    title: 'Native',
    shortTitle: 'Native',
    description: 'The benchmarks run directly on this host: the reference for every ratio.',
    kind: 'host',
    family: 'native',
    accelerator: null,
    guestFields: [],
    wizardSection: null,
    startupSeconds: 0,
    slowdown: 1,
  },
  docker: {
    title: 'Docker',
    shortTitle: 'Docker',
    description: 'A container on the local Docker daemon: shared host kernel, cgroup limits.',
    kind: 'container',
    family: 'docker',
    accelerator: null,
    guestFields: ['vcpus', 'memoryMiB'],
    containerOptions: ['network', 'diskOn'],
    wizardSection: 'docker',
    startupSeconds: 5,
    slowdown: 1.05,
  },
  'qemu-tcg': {
    title: 'QEMU (emulated, TCG)',
    shortTitle: 'QEMU TCG',
    description: 'A QEMU guest whose CPU is emulated in software by the Tiny Code Generator.',
    kind: 'vm',
    family: 'qemu',
    accelerator: 'tcg',
    guestFields: VM_FIELDS,
    wizardSection: 'accelerator',
    wizardToggle: { label: 'Emulate (TCG)', testId: 'accel-tcg' },
    startupSeconds: 20,
    // TCG emulates every instruction.
    slowdown: 8,
  },
  'qemu-kvm': {
    title: 'QEMU/KVM (virtualized)',
    shortTitle: 'QEMU KVM',
    description: 'A QEMU guest running on the CPU through the kernel hypervisor KVM.',
    kind: 'vm',
    family: 'qemu',
    accelerator: 'kvm',
    guestFields: VM_FIELDS,
    wizardSection: 'accelerator',
    wizardToggle: { label: 'Virtualize (KVM)', testId: 'accel-kvm' },
    startupSeconds: 8,
    slowdown: 1.2,
  },
  'unikernel-tcg': {
    title: 'Unikernel (emulated, TCG)',
    shortTitle: 'Unikernel TCG',
    description:
      'Our library OS linked with each benchmark into one image, booted fresh by QEMU for every run; CPU emulated by TCG.',
    kind: 'vm',
    family: 'unikernel',
    accelerator: 'tcg',
    guestFields: UNIKERNEL_FIELDS,
    wizardSection: 'accelerator',
    wizardToggle: { label: 'Unikernel: emulate (TCG)', testId: 'accel-unikernel-tcg' },
    libraryOs: true,
    // Only the disk image: each repetition boots (about a second under TCG, inside the run's time).
    startupSeconds: 1,
    slowdown: 8,
  },
  'unikernel-kvm': {
    title: 'Unikernel (virtualized, KVM)',
    shortTitle: 'Unikernel KVM',
    description:
      'Our library OS linked with each benchmark into one image, booted fresh by QEMU for every run on KVM.',
    kind: 'vm',
    family: 'unikernel',
    accelerator: 'kvm',
    guestFields: UNIKERNEL_FIELDS,
    wizardSection: 'accelerator',
    wizardToggle: { label: 'Unikernel: virtualize (KVM)', testId: 'accel-unikernel-kvm' },
    libraryOs: true,
    startupSeconds: 1,
    slowdown: 1.2,
  },
};

export const PLATFORM_INFO: Record<PlatformId, PlatformInfo> = Object.fromEntries(
  PLATFORM_IDS.map((id) => [
    id,
    {
      id,
      ...TRAITS[id],
      containerOptions: TRAITS[id].containerOptions ?? [],
      shaped: TRAITS[id].guestFields.length > 0,
    },
  ]),
) as Record<PlatformId, PlatformInfo>;

/** The platform every ratio is relative to (the host). */
export const REFERENCE_PLATFORM: PlatformId = 'native';

/** Platform ids of one kind, in run order. */
export function platformsOfKind(kind: PlatformKind): PlatformId[] {
  return PLATFORM_IDS.filter((id) => PLATFORM_INFO[id].kind === kind);
}

/** Platforms that take this guest-shape field. */
export function platformsTaking(field: GuestField): PlatformId[] {
  return PLATFORM_IDS.filter((id) => PLATFORM_INFO[id].guestFields.includes(field));
}

/** The same family with the other accelerator (qemu-kvm -> qemu-tcg), if there is one. */
export function sibling(id: PlatformId, accelerator: Accelerator): PlatformId | undefined {
  const { family } = PLATFORM_INFO[id];
  return PLATFORM_IDS.find(
    (p) => PLATFORM_INFO[p].family === family && PLATFORM_INFO[p].accelerator === accelerator,
  );
}

/** Each library-OS platform with the full-OS virtual machine on the same accelerator. */
export function libraryOsPairs(): { libraryOs: PlatformId; fullOs: PlatformId }[] {
  const out: { libraryOs: PlatformId; fullOs: PlatformId }[] = [];
  for (const u of PLATFORM_IDS.filter((p) => PLATFORM_INFO[p].libraryOs)) {
    const full = PLATFORM_IDS.find(
      (p) =>
        PLATFORM_INFO[p].kind === 'vm' &&
        !PLATFORM_INFO[p].libraryOs &&
        PLATFORM_INFO[p].accelerator === PLATFORM_INFO[u].accelerator,
    );
    if (full) out.push({ libraryOs: u, fullOs: full });
  }
  return out;
}

export const AvailabilitySchema = z.object({
  available: z.boolean(),
  /** Why it is not available (or a note when it is). */
  reason: z.string().optional(),
  /** What the user can do about it. */
  fix: z.string().optional(),
  /** Facts found while probing (versions, paths). */
  details: z.record(z.string(), z.string()).optional(),
});
export type Availability = z.infer<typeof AvailabilitySchema>;

export const DoctorPlatformSchema = z.object({
  id: PlatformId,
  title: z.string(),
  availability: AvailabilitySchema,
  /** Per benchmark id: can this benchmark run on this platform, and if not, why. */
  benchmarks: z.record(z.string(), AvailabilitySchema),
});
export type DoctorPlatform = z.infer<typeof DoctorPlatformSchema>;

export const DoctorReportSchema = z.object({
  checkedAt: z.string(),
  platforms: z.array(DoctorPlatformSchema),
});
export type DoctorReport = z.infer<typeof DoctorReportSchema>;
