/**
 * Labels on everything the docker platform creates, so that orphans left by
 * a crash can be found (and only ours are ever touched).
 */
import { hostname } from 'node:os';

/** Present (value "1") on every container, volume and image we create. */
export const LABEL_OWNER = 'benchvisor';
/** The run id of the experiment a container/volume belongs to. */
export const LABEL_RUN = 'benchvisor.run';
/** Host name and pid of the process that created it (to tell live sessions from orphans). */
export const LABEL_HOST = 'benchvisor.host';
export const LABEL_PID = 'benchvisor.pid';
/** Payload hash an image was built from. */
export const LABEL_PAYLOAD = 'benchvisor.payload';

/** Labels for a container or volume of run `runId`, created by this process. */
export function resourceLabels(runId: string, pid: number = process.pid): Record<string, string> {
  return {
    [LABEL_OWNER]: '1',
    [LABEL_RUN]: runId,
    [LABEL_HOST]: hostname(),
    [LABEL_PID]: String(pid),
  };
}

/** Docker API filter selecting everything labelled as ours. */
export const OWNER_FILTER = { label: [`${LABEL_OWNER}=1`] };
