/**
 * The lab hosts behind the API (hosts:* channels and run:start's `where`): the hosts file, the
 * check through ssh and the run engine for a run on hosts. Collaborators are passed in
 * (api/appService.ts builds them over the engine); a check that fails is a value, not a throw.
 */
import type { Host, HostCheck, HostEntry, RunPlaces } from '../../shared/hosts';
import type { RunEngine } from '../engine/runEngine';
import type { ImportStaging } from '../export/importStaging';
import type { LinkOptions } from './agentLink';
import { checkHost } from './hostCheck';
import type { HostStore } from './hostStore';
import { placesEngine } from './placesEngine';

export interface HostsPort {
  list(): Promise<HostEntry[]>;
  add(host: Host): Promise<Host>;
  /** Checks the host now and keeps the result (NOT_FOUND for a name not known). */
  check(name: string): Promise<HostCheck>;
  remove(name: string): Promise<boolean>;
  /** The engine of one run on these places (NOT_FOUND for a host not known). */
  engineFor(where: RunPlaces): RunEngine;
}

export interface HostsServiceDeps {
  store: HostStore;
  link: LinkOptions;
  /** This machine's engine. */
  local: RunEngine;
  runsDir: string;
  exportsDir: string;
  staging?: ImportStaging;
}

export function hostsService(deps: HostsServiceDeps): HostsPort {
  const { store } = deps;
  return {
    list: async () =>
      store.list().map((host) => {
        const check = store.lastCheck(host.name);
        return check ? { host, check } : { host };
      }),
    add: async (host) => store.add(host),
    check: async (name) => {
      const result = await checkHost(store.require(name), deps.link);
      store.saveCheck(result);
      return result;
    },
    remove: async (name) => store.remove(name),
    engineFor: (where) =>
      placesEngine(
        {
          local: deps.local,
          host: (name) => store.require(name),
          remote: {
            ...deps.link,
            runsDir: deps.runsDir,
            exportsDir: deps.exportsDir,
            ...(deps.staging ? { staging: deps.staging } : {}),
          },
          runsDir: deps.runsDir,
        },
        where,
      ),
  };
}
