/**
 * The server side's CPU use during one HTTP load, read from /proc before and after it:
 * the processes (read through host/procReader.ts, as the host CPU sampler reads them) that
 * serve the platform's nginx are this process's descendants (native nginx,
 * the QEMU process of a guest) except the load client itself, plus the processes in the
 * container's cgroup (Docker's nginx) and a docker-proxy that forwards the published port.
 * The client measures its own CPU (getrusage); together they show which side was the limit.
 *
 * Limits: /proc ticks are 10 ms, so short loads give coarse shares; a QEMU process's time is the
 * whole guest (its nginx, its kernel and the emulated network card), which is the platform's cost.
 */
import { descendantsOf, USER_HZ, type ProcessTimes } from '../../../shared/host/procStat';
import { createProcReader, type ProcReader, type ReadText } from '../../host/procReader';
import { LOAD_CLIENT_NAME } from './httpLoad';

export interface ServerCpuScope {
  /** The run's container (session meta containerId): its processes serve. */
  containerId?: string;
  /** The host port the load goes to: a docker-proxy forwarding it serves too. */
  port?: number;
}

export interface ServerCpuProbe {
  /** CPU the server side used since begin(), in % of one CPU; null when /proc was unreadable. */
  end(): number | null;
}

export interface ServerCpuSampler {
  begin(scope?: ServerCpuScope): ServerCpuProbe;
}

interface Reading {
  at: bigint;
  procs: ProcessTimes[];
}

/** Process names (comm) of the port forwarder Docker runs for a published port. */
const PROXY_COMM = 'docker-proxy';

export function createServerCpuSampler(
  opts: { procDir?: string; read?: ReadText; selfPid?: number; proc?: ProcReader } = {},
): ServerCpuSampler {
  const proc = opts.proc ?? createProcReader(opts);
  const self = opts.selfPid ?? process.pid;

  /** Serving processes outside our own tree: the container's, and the port's forwarder. */
  const servesFromOutside = (p: ProcessTimes, scope: ServerCpuScope): boolean => {
    if (scope.containerId && proc.cgroup(p.pid).includes(scope.containerId)) return true;
    if (scope.port !== undefined && p.comm === PROXY_COMM) {
      const args = proc.cmdline(p.pid);
      const i = args.indexOf('-host-port');
      return i >= 0 && args[i + 1] === String(scope.port);
    }
    return false;
  };

  const reading = (scope: ServerCpuScope, outside: Set<string>): Reading | null => {
    const procs = proc.processes((p) => {
      const key = `${p.pid}:${p.startTime}`;
      if (!outside.has(key) && servesFromOutside(p, scope)) outside.add(key);
    });
    return procs.length > 0 ? { at: process.hrtime.bigint(), procs } : null;
  };

  return {
    begin(scope = {}) {
      const outside = new Set<string>();
      const before = reading(scope, outside);
      return {
        end() {
          const after = reading(scope, outside);
          if (!before || !after) return null;
          const tree = descendantsOf(self, after.procs);
          const key = (p: ProcessTimes): string => `${p.pid}:${p.startTime}`;
          const serves = (p: ProcessTimes): boolean =>
            outside.has(key(p)) ||
            (tree.has(p.pid) && p.pid !== self && p.comm !== LOAD_CLIENT_NAME);
          const prior = new Map(before.procs.map((p) => [key(p), p]));
          let ticks = 0;
          for (const p of after.procs) {
            if (!serves(p)) continue;
            const b = prior.get(key(p));
            ticks += Math.max(0, p.ticks - (b?.ticks ?? 0));
          }
          const seconds = Number(after.at - before.at) / 1e9;
          return seconds > 0 ? Math.round((ticks / USER_HZ / seconds) * 1000) / 10 : null;
        },
      };
    },
  };
}
