/**
 * Checks a host: reachable through ssh, its agent's protocol compatible, its doctor (which
 * platforms work there, KVM with its reason) and its facts (CPU, cores, memory, kernel).
 */
import type { Host, HostCheck } from '../../shared/hosts';
import { openAgentLink, type LinkOptions } from './agentLink';

export async function checkHost(host: Host, opts: LinkOptions): Promise<HostCheck> {
  const checkedAt = new Date().toISOString();
  const opened = await openAgentLink(host, opts);
  if (!opened.ok) return { name: host.name, checkedAt, ok: false, problem: opened.problem };
  const link = opened.link;
  try {
    const [facts, doctor] = await Promise.all([
      link.agentCall('agent:facts', {}),
      link.call('doctor:check', { refresh: true }),
    ]);
    if (!facts.ok || !doctor.ok) {
      const e = !facts.ok ? facts.error : !doctor.ok ? doctor.error : null;
      return {
        name: host.name,
        checkedAt,
        ok: false,
        version: link.hello.version,
        problem: {
          kind: 'agent-failed',
          message: `${host.name}: the agent answered but could not report (${e?.message ?? 'unknown'})`,
          fix: 'run `benchvisor doctor` on the host to see what fails there',
        },
      };
    }
    return {
      name: host.name,
      checkedAt,
      ok: true,
      version: link.hello.version,
      facts: facts.value,
      doctor: doctor.value,
    };
  } finally {
    link.close();
    await link.closed;
  }
}
