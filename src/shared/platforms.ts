/** Platform identities, capabilities and availability reports (pure data). */
import { z } from 'zod';

export const PlatformId = z.enum(['native', 'docker', 'qemu-tcg', 'qemu-kvm']);
export type PlatformId = z.infer<typeof PlatformId>;

/** What a platform can offer a benchmark; benchmarks declare what they need. */
export const Capability = z.enum(['fork', 'syscall', 'float', 'memory', 'disk', 'network']);
export type Capability = z.infer<typeof Capability>;

/** A full operating system (host, container or guest kernel) offers every capability. */
export const FULL_OS_CAPABILITIES: readonly Capability[] = Capability.options;

export interface PlatformInfo {
  id: PlatformId;
  title: string;
  /** One line for the wizard. */
  description: string;
  /** True when the platform runs a guest/container whose shape (vCPUs, memory) is configurable. */
  shaped: boolean;
}

export const PLATFORM_INFO: Record<PlatformId, PlatformInfo> = {
  native: {
    id: 'native',
    title: 'Native',
    description: 'The benchmarks run directly on this host: the reference for every ratio.',
    shaped: false,
  },
  docker: {
    id: 'docker',
    title: 'Docker',
    description: 'A container on the local Docker daemon: shared host kernel, cgroup limits.',
    shaped: true,
  },
  'qemu-tcg': {
    id: 'qemu-tcg',
    title: 'QEMU (emulated, TCG)',
    description: 'A QEMU guest whose CPU is emulated in software by the Tiny Code Generator.',
    shaped: true,
  },
  'qemu-kvm': {
    id: 'qemu-kvm',
    title: 'QEMU/KVM (virtualized)',
    description: 'A QEMU guest running on the CPU through the kernel hypervisor KVM.',
    shaped: true,
  },
};

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
