/**
 * The host's conditions before a run (environment.json `host`), parsed from the text of the files
 * that hold them (pure). Every fact that cannot be read is the string "unknown": never a guess.
 */

export const UNKNOWN = 'unknown';
export type Unknown = typeof UNKNOWN;

export interface HostConditions {
  /** CPU frequency governor(s) of the online CPUs ("performance", "powersave", "performance, ondemand"). */
  governor: string;
  /** Turbo / boost: "on", "off" or unknown. */
  boost: 'on' | 'off' | Unknown;
  /** kernel.randomize_va_space: "off (0)", "partial (1)", "full (2)" or unknown. */
  aslr: string;
  /** Isolated CPUs (isolcpus=): a CPU list, "none", or unknown. */
  isolatedCpus: string;
  /** 1, 5 and 15 minute load averages, or unknown. */
  loadAverage: number[] | Unknown;
  /** MemAvailable from /proc/meminfo in MiB, or unknown. */
  memoryAvailableMiB: number | Unknown;
  /** Whether this host itself runs under a hypervisor: "yes", "no" or unknown. */
  virtualized: 'yes' | 'no' | Unknown;
  /** The hypervisor's name where the host says (/sys/hypervisor/type, DMI), else unknown. */
  hypervisor: string;
}

/** The files the facts come from (each the file's text, or null when unreadable). */
export interface HostFiles {
  /** scaling_governor of each CPU that has cpufreq. */
  governors: (string | null)[];
  /** /sys/devices/system/cpu/cpufreq/boost (1 = on). */
  boost: string | null;
  /** /sys/devices/system/cpu/intel_pstate/no_turbo (1 = turbo off). */
  noTurbo: string | null;
  /** /proc/sys/kernel/randomize_va_space. */
  aslr: string | null;
  /** /sys/devices/system/cpu/isolated. */
  isolated: string | null;
  /** /proc/loadavg. */
  loadavg: string | null;
  /** /proc/meminfo. */
  meminfo: string | null;
  /** /proc/cpuinfo. */
  cpuinfo: string | null;
  /** /sys/hypervisor/type. */
  hypervisorType: string | null;
  /** /sys/class/dmi/id/sys_vendor and product_name. */
  dmiVendor: string | null;
  dmiProduct: string | null;
}

const ASLR_NAMES: Record<string, string> = { '0': 'off (0)', '1': 'partial (1)', '2': 'full (2)' };
/** DMI vendor/product strings of common hypervisors (what a virtual machine's firmware reports). */
const DMI_HYPERVISORS: readonly [RegExp, string][] = [
  [/kvm|qemu/i, 'KVM/QEMU'],
  [/vmware/i, 'VMware'],
  [/virtualbox|innotek/i, 'VirtualBox'],
  [/microsoft.*virtual|hyper-v/i, 'Hyper-V'],
  [/xen/i, 'Xen'],
  [/amazon ec2/i, 'Amazon EC2'],
  [/google compute engine/i, 'Google Compute Engine'],
];

function governorOf(texts: (string | null)[]): string {
  const seen = [...new Set(texts.map((t) => t?.trim()).filter((t): t is string => !!t))];
  return seen.length === 0 ? UNKNOWN : seen.join(', ');
}

function boostOf(boost: string | null, noTurbo: string | null): HostConditions['boost'] {
  if (boost !== null && /^[01]$/.test(boost.trim())) return boost.trim() === '1' ? 'on' : 'off';
  if (noTurbo !== null && /^[01]$/.test(noTurbo.trim()))
    return noTurbo.trim() === '1' ? 'off' : 'on';
  return UNKNOWN;
}

function loadOf(text: string | null): number[] | Unknown {
  const nums = (text ?? '').trim().split(/\s+/).slice(0, 3).map(Number);
  return nums.length === 3 && nums.every(Number.isFinite) ? nums : UNKNOWN;
}

function memAvailableOf(text: string | null): number | Unknown {
  const m = /^MemAvailable:\s+(\d+)\s+kB/m.exec(text ?? '');
  return m ? Math.round(Number(m[1]) / 1024) : UNKNOWN;
}

function virtualizationOf(f: HostFiles): Pick<HostConditions, 'virtualized' | 'hypervisor'> {
  const type = f.hypervisorType?.trim();
  const dmi = `${f.dmiVendor ?? ''} ${f.dmiProduct ?? ''}`;
  const named = DMI_HYPERVISORS.find(([re]) => re.test(dmi))?.[1];
  const hypervisor = type ? type : (named ?? UNKNOWN);
  if (f.cpuinfo !== null) {
    const flags = f.cpuinfo.split('\n').find((l) => l.startsWith('flags')) ?? '';
    if (flags !== '') {
      const yes = /\bhypervisor\b/.test(flags);
      return { virtualized: yes ? 'yes' : 'no', hypervisor: yes ? hypervisor : 'none' };
    }
  }
  if (type || named) return { virtualized: 'yes', hypervisor };
  return { virtualized: UNKNOWN, hypervisor: UNKNOWN };
}

export function parseHostConditions(f: HostFiles): HostConditions {
  const aslr = f.aslr?.trim() ?? '';
  const isolated = f.isolated;
  return {
    governor: governorOf(f.governors),
    boost: boostOf(f.boost, f.noTurbo),
    aslr: ASLR_NAMES[aslr] ?? UNKNOWN,
    isolatedCpus: isolated === null ? UNKNOWN : isolated.trim() === '' ? 'none' : isolated.trim(),
    loadAverage: loadOf(f.loadavg),
    memoryAvailableMiB: memAvailableOf(f.meminfo),
    ...virtualizationOf(f),
  };
}

/** One line for reports: "governor powersave · boost unknown · ASLR full (2) · …". */
export function hostConditionsText(h: Partial<Record<keyof HostConditions, unknown>>): string {
  const v = (x: unknown) =>
    Array.isArray(x) ? x.join(' / ') : x === undefined ? UNKNOWN : String(x);
  return [
    `governor ${v(h.governor)}`,
    `boost ${v(h.boost)}`,
    `ASLR ${v(h.aslr)}`,
    `isolated CPUs ${v(h.isolatedCpus)}`,
    `load average ${v(h.loadAverage)}`,
    `memory available ${v(h.memoryAvailableMiB)}${typeof h.memoryAvailableMiB === 'number' ? ' MiB' : ''}`,
    `virtualized ${v(h.virtualized)}${h.virtualized === 'yes' ? ` (${v(h.hypervisor)})` : ''}`,
  ].join(' · ');
}
