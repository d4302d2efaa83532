/**
 * Parsing of the kernel's CPU accounting (pure: the text of /proc files in, numbers out), and the
 * split of the host's CPU time over an interval (one repetition) between two readings.
 *
 * /proc/stat "cpu" line (proc(5)): user nice system idle iowait irq softirq steal guest
 * guest_nice, in clock ticks summed over all CPUs; guest time is already inside user/nice.
 * /proc/<pid>/stat (proc_pid_stat(5)): field 2 is "(comm)" (may contain spaces and parentheses),
 * then state ppid ...; utime stime cutime cstime are fields 14–17 and starttime is field 22.
 */

/** Clock ticks per second of the /proc figures (USER_HZ: fixed at 100 in Linux's user ABI). */
export const USER_HZ = 100;

export interface CpuTimes {
  user: number;
  nice: number;
  system: number;
  idle: number;
  iowait: number;
  irq: number;
  softirq: number;
  steal: number;
}

const CPU_FIELDS: readonly (keyof CpuTimes)[] = [
  'user',
  'nice',
  'system',
  'idle',
  'iowait',
  'irq',
  'softirq',
  'steal',
];

/** The aggregate "cpu" line and the number of per-CPU lines; null when the text has none. */
export function parseProcStat(text: string): { total: CpuTimes; cpus: number } | null {
  let total: CpuTimes | null = null;
  let cpus = 0;
  for (const line of text.split('\n')) {
    const parts = line.trim().split(/\s+/);
    const head = parts[0] ?? '';
    if (head === 'cpu') {
      const nums = parts.slice(1).map(Number);
      if (nums.length < 4 || nums.some((n) => !Number.isFinite(n))) return null;
      const t = {} as CpuTimes;
      CPU_FIELDS.forEach((f, i) => (t[f] = nums[i] ?? 0));
      total = t;
    } else if (/^cpu\d+$/.test(head)) cpus++;
  }
  return total ? { total, cpus } : null;
}

export interface ProcessTimes {
  pid: number;
  comm: string;
  ppid: number;
  /** utime + stime: this process's own CPU time, in ticks. */
  ticks: number;
  /** cutime + cstime: CPU time of its children that it has reaped (waited for), in ticks. */
  childTicks: number;
  /** Start time after boot in ticks: with pid, identifies a process across readings. */
  startTime: number;
}

/** One /proc/<pid>/stat line; null when malformed. */
export function parsePidStat(text: string): ProcessTimes | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const pid = Number(text.slice(0, open).trim());
  const comm = text.slice(open + 1, close);
  // Fields after "(comm)": index 0 is field 3 (state).
  const rest = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  const field = (n: number) => Number(rest[n - 3]);
  const ticks = field(14) + field(15);
  const childTicks = field(16) + field(17);
  const ppid = field(4);
  const startTime = field(22);
  if (![pid, ppid, ticks, childTicks, startTime].every(Number.isFinite)) return null;
  return { pid, comm, ppid, ticks, childTicks, startTime };
}

/** The host's CPU time over one repetition, as recorded in every sample's meta.hostCpu. */
export interface HostCpuSplit {
  /** Wall-clock length of the interval. */
  seconds: number;
  /** CPUs counted in /proc/stat. */
  cpus: number;
  /** Shares of all CPU time (every CPU) in %: they add up to 100. */
  userPercent: number;
  systemPercent: number;
  iowaitPercent: number;
  stealPercent: number;
  idlePercent: number;
  /** nice + irq + softirq. */
  otherPercent: number;
  /**
   * CPU used by processes that are not part of the run, in % of one CPU (100 = one CPU fully
   * busy), and the busiest of them.
   */
  othersCpuPercent: number;
  topOthers: { pid: number; comm: string; cpuPercent: number }[];
  /** CPU used by the run's own processes (harness and benchmark), in % of one CPU. */
  runCpuPercent: number;
}

/** How many of the busiest other processes a split names at most… */
export const TOP_OTHERS = 10;
/** …and the least CPU (in % of one CPU) a named one used. */
export const TOP_OTHERS_MIN_PERCENT = 1;

const pct = (part: number, whole: number) =>
  whole > 0 ? Math.round((part / whole) * 10000) / 100 : 0;

/** /proc/stat split between two readings. */
export function cpuSplit(
  before: CpuTimes,
  after: CpuTimes,
): Pick<
  HostCpuSplit,
  | 'userPercent'
  | 'systemPercent'
  | 'iowaitPercent'
  | 'stealPercent'
  | 'idlePercent'
  | 'otherPercent'
> {
  const d = (k: keyof CpuTimes) => Math.max(0, after[k] - before[k]);
  const total = CPU_FIELDS.reduce((s, k) => s + d(k), 0);
  return {
    userPercent: pct(d('user'), total),
    systemPercent: pct(d('system'), total),
    iowaitPercent: pct(d('iowait'), total),
    stealPercent: pct(d('steal'), total),
    idlePercent: pct(d('idle'), total),
    otherPercent: pct(d('nice') + d('irq') + d('softirq'), total),
  };
}

/** Ticks a process used between two readings (all of them when it started in between). */
function deltas(
  before: readonly ProcessTimes[],
  after: readonly ProcessTimes[],
): { p: ProcessTimes; own: number; children: number }[] {
  const key = (p: ProcessTimes) => `${p.pid}:${p.startTime}`;
  const prior = new Map(before.map((p) => [key(p), p]));
  return after.map((p) => {
    const b = prior.get(key(p));
    return {
      p,
      own: Math.max(0, p.ticks - (b?.ticks ?? 0)),
      children: Math.max(0, p.childTicks - (b?.childTicks ?? 0)),
    };
  });
}

/** Pids of `root` and every process below it (by ppid) in a reading. */
export function descendantsOf(root: number, procs: readonly ProcessTimes[]): Set<number> {
  const children = new Map<number, number[]>();
  for (const p of procs) {
    const list = children.get(p.ppid) ?? [];
    list.push(p.pid);
    children.set(p.ppid, list);
  }
  const out = new Set<number>([root]);
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    for (const c of children.get(pid) ?? []) {
      if (!out.has(c)) {
        out.add(c);
        stack.push(c);
      }
    }
  }
  return out;
}

/** Kernel threads (kthreadd, pid 2, and its children) are the kernel's, not another program's. */
export function isKernelThread(p: ProcessTimes): boolean {
  return p.pid === 2 || p.ppid === 2;
}

/**
 * Everything a split needs from two readings. Other load = the host's user + nice + system time
 * (/proc/stat) minus the run's processes (their own time and that of the children they reaped:
 * a benchmark process that lived only within the interval shows up there) minus kernel threads.
 * So short-lived programs of others count too, even though no reading saw them; the busiest
 * others are named from their own per-process time.
 */
export function hostCpuSplit(args: {
  seconds: number;
  cpus: number;
  statBefore: CpuTimes;
  statAfter: CpuTimes;
  procsBefore: readonly ProcessTimes[];
  procsAfter: readonly ProcessTimes[];
  ours: (p: ProcessTimes) => boolean;
}): HostCpuSplit {
  const d = (k: keyof CpuTimes) => Math.max(0, args.statAfter[k] - args.statBefore[k]);
  const busy = d('user') + d('nice') + d('system');
  let oursTicks = 0;
  let kernelTicks = 0;
  const others: { pid: number; comm: string; ticks: number }[] = [];
  for (const x of deltas(args.procsBefore, args.procsAfter)) {
    if (isKernelThread(x.p)) kernelTicks += x.own;
    else if (args.ours(x.p)) oursTicks += x.own + x.children;
    else if (x.own > 0) others.push({ pid: x.p.pid, comm: x.p.comm, ticks: x.own });
  }
  others.sort((a, b) => b.ticks - a.ticks);
  const share = (ticks: number) =>
    args.seconds > 0 ? Math.round((ticks / USER_HZ / args.seconds) * 10000) / 100 : 0;
  return {
    seconds: Math.round(args.seconds * 1000) / 1000,
    cpus: args.cpus,
    ...cpuSplit(args.statBefore, args.statAfter),
    othersCpuPercent: share(Math.max(0, busy - oursTicks - kernelTicks)),
    runCpuPercent: share(oursTicks),
    topOthers: others
      .slice(0, TOP_OTHERS)
      .map((o) => ({ pid: o.pid, comm: o.comm, cpuPercent: share(o.ticks) }))
      .filter((o) => o.cpuPercent >= TOP_OTHERS_MIN_PERCENT),
  };
}
