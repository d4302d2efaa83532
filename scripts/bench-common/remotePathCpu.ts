/**
 * The CPU the remote path's own processes use while a run goes on: the desk's `run --host` and
 * its ssh, and at the host the sshd session and the agent's relay, but not the engine (a
 * detached `agent --engine`, the run's own work, the same as a direct run's engine) nor what it
 * starts. Read from /proc every POLL_MS; a process's share is the ticks it used between the
 * readings nearest inside a window (the run's recorded span).
 */
import { createProcReader } from '../../src/main/host/procReader';
import { USER_HZ } from '../../src/shared/host/procStat';

/** How often the processes are read. */
const POLL_MS = 500;

interface Reading {
  at: number;
  ticks: Map<number, number>;
}

/** The one /proc reader (host/procReader.ts), shared by every reading. */
const proc = createProcReader();

/** pid → (ppid, own ticks, command line) of every process now. */
function processes(): Map<number, { ppid: number; ticks: number; cmd: string }> {
  const out = new Map<number, { ppid: number; ticks: number; cmd: string }>();
  proc.processes((p) =>
    out.set(p.pid, { ppid: p.ppid, ticks: p.ticks, cmd: proc.cmdline(p.pid).join(' ') }),
  );
  return out;
}

export class RemotePathCpu {
  private readonly readings: Reading[] = [];
  private timer: NodeJS.Timeout | null = null;

  /**
   * `roots`: the desk's CLI and the sshd listener; `isEngine`: subtrees left out. With
   * `subtree: false` only the roots themselves are read (an engine's own CPU, not its guests').
   */
  constructor(
    private readonly roots: () => number[],
    private readonly isEngine: (cmd: string) => boolean,
    private readonly opts: { subtree: boolean } = { subtree: true },
  ) {}

  start(): void {
    this.read();
    this.timer = setInterval(() => this.read(), POLL_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.read();
  }

  private read(): void {
    const all = processes();
    const children = new Map<number, number[]>();
    for (const [pid, p] of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), pid]);
    const ticks = new Map<number, number>();
    const walk = (pid: number): void => {
      const p = all.get(pid);
      if (!p || this.isEngine(p.cmd)) return;
      ticks.set(pid, p.ticks);
      if (this.opts.subtree) for (const c of children.get(pid) ?? []) walk(c);
    };
    for (const root of this.roots()) walk(root);
    this.readings.push({ at: Date.now(), ticks });
  }

  /** Their CPU between `from` and `to` (ms since the epoch), in % of one CPU. */
  shareBetween(from: number, to: number): number {
    const inside = this.readings.filter((r) => r.at >= from && r.at <= to);
    if (inside.length < 2) return 0;
    const first = new Map<number, number>();
    const last = new Map<number, number>();
    for (const r of inside)
      for (const [pid, t] of r.ticks) {
        if (!first.has(pid)) first.set(pid, t);
        last.set(pid, t);
      }
    let used = 0;
    for (const [pid, t] of last) used += t - first.get(pid)!;
    const seconds = (inside.at(-1)!.at - inside[0]!.at) / 1000;
    return (used / USER_HZ / seconds) * 100;
  }
}

/** Pids of the processes whose command line passes `match`. */
export function pidsMatching(match: (cmd: string) => boolean): number[] {
  return [...processes()].filter(([, p]) => match(p.cmd)).map(([pid]) => pid);
}
