/**
 * QEMU's KVM start-up errors, read into a reason and an errno-specific fix.
 * `/dev/kvm` being there and writable does not mean KVM works: a container's
 * device cgroup (EPERM), another hypervisor holding VT-x (EBUSY at VM
 * creation) or a missing vendor module (ENODEV) only show when QEMU tries.
 * Pure: the text comes from QEMU's stderr (or the trial's own open()).
 */

export interface KvmFailure {
  /** errno name, when the text names one we know ("EBUSY"), else null. */
  errno: string | null;
  /** One line: what failed, quoting QEMU. */
  reason: string;
  fix: string;
}

/** strerror() texts (glibc) of the errnos KVM start-up fails with, mapped to their names. */
const STRERROR_TO_ERRNO: Record<string, string> = {
  'permission denied': 'EACCES',
  'operation not permitted': 'EPERM',
  'device or resource busy': 'EBUSY',
  'no such device': 'ENODEV',
  'no such file or directory': 'ENOENT',
  'cannot allocate memory': 'ENOMEM',
  'invalid argument': 'EINVAL',
};

/** What to do, per errno. */
export const KVM_ERRNO_FIX: Record<string, string> = {
  EACCES:
    'give this user read-write access to /dev/kvm: sudo usermod -aG kvm $USER (or an ACL: sudo setfacl -m u:$USER:rw /dev/kvm), then log out and in again (or restart) so the group applies',
  EPERM:
    'the device is visible but access is refused (a container device cgroup or a security policy): run the container with --device /dev/kvm (docker) or allow the device in its cgroup, or check SELinux/AppArmor',
  EBUSY:
    'another hypervisor holds the CPU virtualization extensions (VirtualBox, VMware, Hyper-V): stop it (or unload its kernel module), then try again',
  ENODEV:
    'the KVM vendor module is not loaded or not usable for this CPU: sudo modprobe kvm_intel (Intel) or sudo modprobe kvm_amd (AMD), and check that virtualization is enabled in the firmware',
  ENOENT:
    '/dev/kvm does not exist: load the KVM modules (sudo modprobe kvm_intel or kvm_amd); in a container pass the device in (--device /dev/kvm)',
  ENOMEM:
    'the kernel could not allocate memory for a VM: free memory (or drop caches) and try again',
  EINVAL:
    'the kernel refused to create a VM: check that the kvm module matches the running kernel (dmesg | grep -i kvm)',
};

const GENERIC_FIX =
  'run the command shown in the reason by hand and check dmesg | grep -i kvm; Benchvisor will not run the KVM guest as TCG';

/** errno name for a strerror text or a numeric errno ("16" → EBUSY on Linux x86). */
const ERRNO_NUMBERS: Record<number, string> = {
  1: 'EPERM',
  2: 'ENOENT',
  12: 'ENOMEM',
  13: 'EACCES',
  16: 'EBUSY',
  19: 'ENODEV',
  22: 'EINVAL',
};

export function errnoFromText(text: string): string | null {
  const lower = text.toLowerCase().trim();
  for (const [message, name] of Object.entries(STRERROR_TO_ERRNO))
    if (lower.includes(message)) return name;
  return null;
}

function lastLines(text: string, n: number): string {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .slice(-n)
    .join(' | ');
}

/**
 * Reads QEMU's stderr after a KVM start failed. Returns null when the text is not a KVM
 * start-up failure (so a different problem is not mislabelled as one).
 */
export function parseKvmInitFailure(stderr: string): KvmFailure | null {
  const init = /failed to initiali[sz]e kvm:?\s*(.*)$/im.exec(stderr);
  const createVm = /ioctl\(KVM_CREATE_VM\) failed:\s*(\d+)\s*(.*)$/im.exec(stderr);
  const module = /Could not access KVM kernel module:\s*(.*)$/im.exec(stderr);
  if (!init && !createVm && !module) return null;
  const errno =
    (createVm ? (ERRNO_NUMBERS[Number(createVm[1])] ?? errnoFromText(createVm[2] ?? '')) : null) ??
    errnoFromText(init?.[1] ?? '') ??
    errnoFromText(module?.[1] ?? '');
  const where = createVm
    ? 'creating a VM (KVM_CREATE_VM) failed'
    : module
      ? 'opening /dev/kvm failed'
      : 'KVM could not be initialised';
  return {
    errno,
    reason: `QEMU could not start with KVM: ${where}${errno ? ` (${errno})` : ''}: ${lastLines(stderr, 2)}`,
    fix: (errno ? KVM_ERRNO_FIX[errno] : undefined) ?? GENERIC_FIX,
  };
}

/** The trial's own open("/dev/kvm", O_RDWR) failing (a Node error code such as EPERM). */
export function openFailure(device: string, code: string | undefined, message: string): KvmFailure {
  const errno = code && KVM_ERRNO_FIX[code] ? code : null;
  return {
    errno,
    reason: `opening ${device} read-write failed${errno ? ` (${errno})` : ''}: ${message}`,
    fix: (errno ? KVM_ERRNO_FIX[errno] : undefined) ?? GENERIC_FIX,
  };
}
