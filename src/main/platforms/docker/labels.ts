/**
 * Labels on everything the docker platform creates, so that orphans left by
 * a crash can be found (and only ours are ever touched).
 */
/** Present (value "1") on every container, volume and image we create. */
export const LABEL_OWNER = 'benchvisor';
/** The run id of the experiment a container/volume belongs to. */
export const LABEL_RUN = 'benchvisor.run';
/** Host name and pid of the process that created it (to tell live sessions from orphans). */
export const LABEL_HOST = 'benchvisor.host';
export const LABEL_PID = 'benchvisor.pid';
/** Payload hash an image was built from. */
export const LABEL_PAYLOAD = 'benchvisor.payload';

/** Whose a container or volume is: its run and the machine (host probe's hostname) creating it. */
export interface ResourceOwner {
  runId: string;
  hostname: string;
  /** The creating process (default this one; tests name a dead pid to simulate a crash). */
  pid?: number;
}

/** Labels for a container or volume of run `owner.runId`, created by `owner.pid` on its host. */
export function resourceLabels(owner: ResourceOwner): Record<string, string> {
  return {
    [LABEL_OWNER]: '1',
    [LABEL_RUN]: owner.runId,
    [LABEL_HOST]: owner.hostname,
    [LABEL_PID]: String(owner.pid ?? process.pid),
  };
}

/** Docker API filter selecting everything labelled as ours. */
export const OWNER_FILTER = { label: [`${LABEL_OWNER}=1`] };
