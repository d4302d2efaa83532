/**
 * Is a process with this pid alive on this host? (EPERM: it exists but belongs to someone
 * else.) A zombie is not: it has exited and only waits for its parent to collect it, which for
 * a detached process (the agent's engine, once its relay has gone) can take a while.
 */
import { readFileSync } from 'node:fs';

/** The state letter in /proc/<pid>/stat, after the command name in parentheses. */
const STAT_STATE = /\) (\S)/;

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return !isZombie(pid);
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return STAT_STATE.exec(stat.slice(stat.lastIndexOf(')')))?.[1] === 'Z';
  } catch {
    return false; // no /proc (not Linux) or gone meanwhile: the signal's answer stands
  }
}
