/**
 * The `docker run` command line equivalent to a container-create body: the
 * review step shows the very spec prepare() sends to the daemon, rendered,
 * not a hand-written copy that could drift. A field this file cannot render
 * is an error (a unit test creates every variant of the spec).
 */
import type Dockerode from 'dockerode';

const NANO_CPUS_PER_CPU = 1e9;
const BYTES_PER_MIB = 1024 * 1024;

/** Top-level fields rendered below (anything else in a spec is an error). */
const TOP_LEVEL = new Set([
  'name',
  'Image',
  'Cmd',
  'Labels',
  'Hostname',
  'WorkingDir',
  'ExposedPorts',
  'HostConfig',
]);
const HOST_CONFIG = new Set([
  'NanoCpus',
  'Memory',
  'MemorySwap',
  'NetworkMode',
  'PortBindings',
  'Mounts',
  'AutoRemove',
]);

function unrendered(keys: string[], known: Set<string>, where: string): void {
  const extra = keys.filter((k) => !known.has(k));
  if (extra.length > 0)
    throw new Error(`dockerRunArgv cannot render ${where} field(s): ${extra.join(', ')}`);
}

function mib(bytes: number): string {
  return `${bytes / BYTES_PER_MIB}m`;
}

export function dockerRunArgv(spec: Dockerode.ContainerCreateOptions): string[] {
  unrendered(Object.keys(spec), TOP_LEVEL, 'container');
  const hc = spec.HostConfig ?? {};
  unrendered(Object.keys(hc), HOST_CONFIG, 'HostConfig');
  const argv = ['docker', 'run', '--detach'];
  if (spec.name) argv.push('--name', spec.name);
  if (spec.Hostname) argv.push('--hostname', spec.Hostname);
  if (spec.WorkingDir) argv.push('--workdir', spec.WorkingDir);
  if (hc.NanoCpus !== undefined) argv.push(`--cpus=${hc.NanoCpus / NANO_CPUS_PER_CPU}`);
  if (hc.Memory !== undefined) argv.push(`--memory=${mib(hc.Memory)}`);
  if (hc.MemorySwap !== undefined) argv.push(`--memory-swap=${mib(hc.MemorySwap)}`);
  if (hc.NetworkMode) argv.push(`--network=${hc.NetworkMode}`);
  for (const [port, bindings] of Object.entries(hc.PortBindings ?? {})) {
    const containerPort = port.replace(/\/tcp$/, '');
    for (const b of bindings as { HostIp?: string; HostPort?: string }[])
      argv.push('--publish', `${b.HostIp ?? ''}:${b.HostPort ?? ''}:${containerPort}`);
  }
  // ExposedPorts: implied by --publish.
  for (const m of hc.Mounts ?? [])
    argv.push('--mount', `type=${m.Type},source=${m.Source},target=${m.Target}`);
  if (hc.AutoRemove) argv.push('--rm');
  for (const [k, v] of Object.entries(spec.Labels ?? {})) argv.push('--label', `${k}=${v}`);
  if (spec.Image) argv.push(spec.Image);
  argv.push(...(Array.isArray(spec.Cmd) ? spec.Cmd : spec.Cmd ? [spec.Cmd] : []));
  return argv;
}
