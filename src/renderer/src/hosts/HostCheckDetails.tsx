/** What the last check of a host found: its problem with the fix, or its facts and platforms. */
import type { ReactNode } from 'react';
import type { HostCheck } from '../../../shared/hosts';
import { PLATFORM_INFO } from '../../../shared/platforms';

/** "KVM: yes" or "KVM: no — <reason>", from the host's doctor. */
export function kvmLine(check: HostCheck): string {
  const kvm = check.doctor?.platforms.find((p) => p.id === 'qemu-kvm');
  if (!kvm) return 'KVM: not reported';
  return kvm.availability.available
    ? 'KVM: yes'
    : `KVM: no — ${kvm.availability.reason ?? 'not available'}`;
}

/** The platforms that work at the host ("Native, QEMU TCG"). */
export function offeredPlatforms(check: HostCheck): string[] {
  return (check.doctor?.platforms ?? [])
    .filter((p) => p.availability.available)
    .map((p) => PLATFORM_INFO[p.id]?.shortTitle ?? p.title);
}

export function HostCheckDetails({ check }: { check: HostCheck }): ReactNode {
  const when = new Date(check.checkedAt).toLocaleString();
  if (!check.ok) {
    return (
      <div className="error-box" data-testid={`host-problem-${check.name}`}>
        <div>{check.problem?.message ?? 'the check failed'}</div>
        {check.problem?.fix ? (
          <div className="small">
            <strong>Fix:</strong> {check.problem.fix}
          </div>
        ) : null}
        <div className="muted small">checked {when}</div>
      </div>
    );
  }
  const f = check.facts;
  return (
    <div className="host-check" data-testid={`host-facts-${check.name}`}>
      <div>
        <span className="badge status-completed">reachable</span> Benchvisor {check.version} ·{' '}
        <span className="muted small">checked {when}</span>
      </div>
      {f ? (
        <div className="small" data-testid={`host-machine-${check.name}`}>
          {f.cpuModel} · {f.cores} cores · {(f.memoryMiB / 1024).toFixed(1)} GiB · kernel {f.kernel}{' '}
          · {f.arch}
          {f.virtualized ? ' · itself a virtual machine' : ''}
        </div>
      ) : null}
      <div className="small" data-testid={`host-kvm-${check.name}`}>
        {kvmLine(check)}
      </div>
      <ul className="small host-platforms" data-testid={`host-platforms-${check.name}`}>
        {(check.doctor?.platforms ?? []).map((p) => (
          <li key={p.id} className={p.availability.available ? 'ok' : 'muted'}>
            {p.availability.available ? '✓' : '✗'} {PLATFORM_INFO[p.id]?.title ?? p.title}
            {!p.availability.available && p.availability.reason
              ? ` — ${p.availability.reason}`
              : ''}
          </li>
        ))}
      </ul>
    </div>
  );
}
