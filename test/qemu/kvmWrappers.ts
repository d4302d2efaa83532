/**
 * Stand-in QEMU binaries for the KVM failure tests (no /dev/kvm here): small
 * scripts in the test's temp folder that either turn `-accel kvm -cpu host`
 * into TCG and run the real QEMU, or fail the way QEMU fails (its real error
 * text on stderr, exit 1).
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KvmProbeIO } from '../../src/main/qemu/kvmPreflight';

/** QEMU 7.2's own messages, as printed when KVM cannot start. */
export const QEMU_KVM_ERRORS = {
  EBUSY:
    'ioctl(KVM_CREATE_VM) failed: 16 Device or resource busy\nqemu-system-x86_64: -accel kvm: failed to initialize kvm: Device or resource busy',
  EACCES:
    'Could not access KVM kernel module: Permission denied\nqemu-system-x86_64: -accel kvm: failed to initialize kvm: Permission denied',
  EPERM:
    'Could not access KVM kernel module: Operation not permitted\nqemu-system-x86_64: -accel kvm: failed to initialize kvm: Operation not permitted',
  ENODEV:
    'ioctl(KVM_CREATE_VM) failed: 19 No such device\nqemu-system-x86_64: -accel kvm: failed to initialize kvm: No such device',
  ENOENT:
    'Could not access KVM kernel module: No such file or directory\nqemu-system-x86_64: -accel kvm: failed to initialize kvm: No such file or directory',
} as const;

function script(dir: string, name: string, body: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

/** Runs the real QEMU with `-accel kvm` → `-accel tcg` and `-cpu host` → `-cpu max`. */
export function tcgInsteadOfKvmQemu(dir: string): string {
  return script(
    dir,
    'qemu-kvm-as-tcg',
    [
      'prev=""',
      'for a; do',
      '  shift',
      '  [ "$prev" = "-accel" ] && [ "$a" = kvm ] && a=tcg',
      '  [ "$prev" = "-cpu" ] && [ "$a" = host ] && a=max',
      '  set -- "$@" "$a"',
      '  prev="$a"',
      'done',
      'exec qemu-system-x86_64 "$@"',
    ].join('\n'),
  );
}

/**
 * Answers `--version` and `-accel help` like QEMU; any `-accel kvm` start fails with the given
 * error text (exit 1), like QEMU on a host where KVM cannot start.
 */
export function failingKvmQemu(dir: string, errno: keyof typeof QEMU_KVM_ERRORS): string {
  const text = QEMU_KVM_ERRORS[errno].replace(/'/g, '');
  return script(
    dir,
    `qemu-kvm-${errno.toLowerCase()}`,
    [
      'case "$*" in',
      '  *--version*|*"-accel help"*) exec qemu-system-x86_64 "$@" ;;',
      'esac',
      `printf '%s\\n' '${text}' >&2`,
      'exit 1',
    ].join('\n'),
  );
}

/** A host whose QEMU lacks the kvm accelerator: the preflight must refuse, whatever the host. */
export const NO_KVM_IN_QEMU_PROBE: KvmProbeIO = {
  cpuinfo: async () => 'flags\t: fpu sse2 vmx\n',
  moduleLoaded: async () => true,
  devKvmProblem: async () => null,
  qemuAccelHelp: async () => 'Accelerators supported in QEMU binary:\ntcg\n',
  trial: async () => ({ ok: true, detail: 'not reached' }),
};

/** A preflight that passes (a stand-in QEMU then fails, or runs TCG, at the real start). */
export const PASSING_KVM_PROBE: KvmProbeIO = {
  ...NO_KVM_IN_QEMU_PROBE,
  qemuAccelHelp: async () => 'tcg\nkvm\n',
  trial: async () => ({ ok: true, detail: 'stand-in' }),
};
