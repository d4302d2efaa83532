/**
 * Where the container's disk benchmark writes on the host. By default the
 * target's own scratch folder (`<run>/scratch/<target>/`) is bind-mounted at /data, so
 * Docker writes to the same host filesystem as native and the VM disks. The
 * target file is created here, by this process, so it belongs to the user and
 * not to the container's root (the benchmark opens it without truncating).
 */
import type { SampleMetaFields } from '../../../shared/sampleMeta/registry';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type Dockerode from 'dockerode';
import type { ExperimentConfig } from '../../../shared/config';
import { diskHostMeta } from '../../host/hostFilesystem';
import type { HostProbe } from '../../host/hostProbe';
import { DISK_TARGET } from './containerSpec';

/** Read-write for everyone: root in a user-namespaced container is not the file's owner. */
const DISK_TARGET_MODE = 0o666;

/** Creates the target's scratch folder with an empty disk target file; returns the folder. */
export async function prepareDiskScratch(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, basename(DISK_TARGET));
  await writeFile(file, '', { flag: 'a' });
  await chmod(file, DISK_TARGET_MODE);
  return dir;
}

/** The host path behind the container's disk target, and its filesystem (sample meta). */
export async function diskHostFacts(
  docker: Dockerode,
  diskOn: ExperimentConfig['docker']['diskOn'],
  where: { scratchDir: string | undefined; volume: string | null; rootDir: string },
  host: Pick<HostProbe, 'filesystemOf'>,
): Promise<SampleMetaFields> {
  let hostPath: string;
  if (diskOn === 'scratch' && where.scratchDir) {
    hostPath = join(where.scratchDir, basename(DISK_TARGET));
  } else if (diskOn === 'volume' && where.volume) {
    const info = await docker
      .getVolume(where.volume)
      .inspect()
      .catch(() => null);
    hostPath = info?.Mountpoint
      ? join(info.Mountpoint, basename(DISK_TARGET))
      : join(where.rootDir, 'volumes', where.volume);
  } else {
    // The container's own layer: under the daemon's data root (overlay upper directory).
    hostPath = where.rootDir;
  }
  return { ...diskHostMeta(hostPath, await host.filesystemOf(hostPath)), diskLayer: diskOn };
}
