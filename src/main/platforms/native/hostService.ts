/**
 * A service on this host outside any run's platform, in a scratch prefix that is removed when it
 * stops: a benchmark's load-client ceiling is measured against such a server (the same native
 * service start as the native platform's, so the same files, config and readiness check).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProcReader } from '../../host/procReader';
import type { ProcessTracker } from '../../process/tracker';
import type { ServiceHandle, ServiceSpec } from '../../session/service';
import { startNativeService } from './nativeService';

/**
 * Name prefix of a host service's scratch prefix in the temp folder, followed by the engine's
 * pid: a service a killed engine left behind is recognised by it and swept (orphans.ts).
 */
export const HOST_SERVICE_DIR_PREFIX = 'benchvisor-ceiling-';

/** Starts host services tracked by `tracker`; `proc` is the host probe's /proc reader. */
export function hostServiceStarter(tracker: ProcessTracker, proc: Pick<ProcReader, 'processes'>) {
  return async (spec: ServiceSpec, signal?: AbortSignal): Promise<ServiceHandle> => {
    const workDir = await mkdtemp(join(tmpdir(), `${HOST_SERVICE_DIR_PREFIX}${process.pid}-`));
    const removeDir = (): Promise<void> => rm(workDir, { recursive: true, force: true });
    try {
      const h = await startNativeService(spec, {
        tracker,
        proc,
        workDir,
        ...(signal ? { signal } : {}),
      });
      return { url: h.url, stop: () => h.stop().finally(removeDir) };
    } catch (e) {
      await removeDir();
      throw e;
    }
  };
}
