/**
 * What the API service needs: the run engine (engine/runEngine.ts, the port a local or remote
 * engine implements), the finished runs (engine/runLibrary.ts) and facts about this instance.
 * The composition (api/appService.ts) builds them over the real engine; tests pass fakes.
 */
import type { HostFacts } from '../../shared/agentProtocol';
import type { RunEngine } from '../engine/runEngine';
import type { RunLibrary } from '../engine/runLibrary';
import type { ImportStaging } from '../export/importStaging';
import type { HostsPort } from '../hosts/hostsService';

export type { RunEngine, RunEvent, RunEventSink, StartedRun } from '../engine/runEngine';
export type { RunLibrary } from '../engine/runLibrary';

/** The host as app:info reports it (part of the host probe's facts). */
export type HostSummary = Pick<HostFacts, 'cpuModel' | 'cores' | 'memoryMiB'>;

export interface ServiceDeps extends RunLibrary {
  version: string;
  runsDir: string;
  /** Where exported bundles go: the instance's data folder (AppPaths.exportsDir). */
  exportsDir: string;
  /** Where chunked bundle uploads are kept until imported: the instance's data folder. */
  uploadsDir: string;
  /** Staging folders of imports (removed on exit by the shells); a private one when absent. */
  staging?: ImportStaging;
  host: HostSummary;
  engine: RunEngine;
  /** Lab hosts (hosts:* and runs on hosts); absent: this instance offers none (an agent). */
  hosts?: HostsPort;
}
