/**
 * vCPU overcommit: a virtual machine given more vCPUs than the host has CPUs
 * (allowed only by config.allowOvercommit; the host preflight refuses it
 * otherwise). Its vCPU threads take turns on the host's CPUs, so anything
 * parallel, and the guest kernel's own locking, is slowed by the host scheduler,
 * not by virtualization.
 */
import { PLATFORM_INFO } from '../platforms';
import { hostCores, metaValues, targetsIn, type FindingsInput, type RunTarget } from './context';
import type { Finding } from './types';

function configured(config: unknown): { allowed: boolean; vcpus: number | null } {
  if (typeof config !== 'object' || config === null) return { allowed: false, vcpus: null };
  const c = config as { allowOvercommit?: unknown; guest?: { vcpus?: unknown } };
  return {
    allowed: c.allowOvercommit === true,
    vcpus: typeof c.guest?.vcpus === 'number' ? c.guest.vcpus : null,
  };
}

export function vcpuOvercommit({ samples, environment, config }: FindingsInput): Finding[] {
  const cores = hostCores(environment);
  const { allowed, vcpus: configVcpus } = configured(config);
  if (cores === null || !allowed) return [];
  const over: [RunTarget, number][] = [];
  for (const p of targetsIn(samples)) {
    if (PLATFORM_INFO[p.platform].kind !== 'vm') continue;
    const v =
      metaValues(samples, p.id, 'vcpus').find((x): x is number => typeof x === 'number') ??
      configVcpus;
    if (v !== null && v > cores) over.push([p, v]);
  }
  if (over.length === 0) return [];
  const numbers: Finding['numbers'] = { 'host CPUs': cores };
  for (const [p, n] of over) numbers[`${p.id} vCPUs`] = n;
  const which = over.map(([p, n]) => `${p.title} had ${n} vCPUs`).join('; ');
  return [
    {
      id: 'vcpu-overcommit',
      severity: 'warn',
      kind: 'diagnostic',
      title: 'vCPUs overcommitted: more vCPUs than host CPUs',
      explanation:
        `${which}, on a host with ${cores} CPUs (the run allowed overcommit). ` +
        "Each vCPU is a host thread; with more of them than CPUs they take turns, so parallel work and the guest kernel's spinning on locks held by a descheduled vCPU are slowed by the host scheduler. " +
        'Those timings measure the overcommit, not the cost of virtualization: compare shapes that fit the host.',
      numbers,
    },
  ];
}
