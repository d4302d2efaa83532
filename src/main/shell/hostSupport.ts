/**
 * Which operating systems Benchvisor supports (pure): Linux, as the host that runs QEMU, Docker
 * and the unikernel (x86-64; Debian 12 and Ubuntu 22.04/24.04 are what setup targets). macOS
 * and Windows are not supported, not even for the UI: node-pty's macOS spawn-helper is
 * installed without its execute bit and the menu is not a macOS one. The shells show this
 * note at start anywhere else, instead of failing later and less clearly.
 */

/** The note for a platform (process.platform), or null on a supported one. */
export function hostSupportNote(platform: string): string | null {
  if (platform === 'linux') return null;
  return (
    `Benchvisor supports Linux hosts only (QEMU, Docker and the unikernel run on Linux); ` +
    `this is ${platform}, where the benchmark platforms will report themselves unavailable. ` +
    `Use a Linux machine, or run \`npx benchvisor serve\` on a Linux lab machine and open it ` +
    `through an SSH tunnel (see the README).`
  );
}
