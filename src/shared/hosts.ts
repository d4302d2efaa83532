/**
 * Lab hosts: machines the user's own OpenSSH client reaches, running `benchvisor agent`.
 * A host is a name, an SSH destination exactly as `ssh` takes it (an alias of ~/.ssh/config,
 * user@host, ssh://user@host:port) and how Benchvisor is started there.
 */
import { z } from 'zod';
import { HostFactsSchema } from './agentProtocol';
import { DoctorReportSchema } from './platforms';

/** How Benchvisor is started at a destination when the host does not say. */
export const DEFAULT_REMOTE_COMMAND = 'benchvisor';

export const HostNameSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/,
    'a host name is 1–63 letters, digits, dots, dashes or underscores, starting with a letter or digit',
  );

export const HostSchema = z.strictObject({
  name: HostNameSchema,
  /** Never starts with "-" (ssh would read it as an option). */
  destination: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[^-\s][^\s]*$/, 'an SSH destination has no spaces and does not start with "-"'),
  /** The command that starts Benchvisor there (a shell command line on the host). */
  command: z
    .string()
    .min(1)
    .max(1000)
    .regex(/^[^\n\r\0]*$/, 'the command is one line')
    .optional(),
});
export type Host = z.infer<typeof HostSchema>;

/** Why a host cannot be used, in the product's words, with the fix. */
export const HostProblemKind = z.enum([
  'unknown-host-key',
  'changed-host-key',
  'auth-refused',
  'not-installed',
  'incompatible',
  'unreachable',
  'agent-failed',
]);
export type HostProblemKind = z.infer<typeof HostProblemKind>;

export const HostProblemSchema = z.object({
  kind: HostProblemKind,
  message: z.string(),
  fix: z.string(),
});
export type HostProblem = z.infer<typeof HostProblemSchema>;

/** The outcome of `hosts check`: facts and what runs there, or the problem. */
export const HostCheckSchema = z.object({
  name: HostNameSchema,
  checkedAt: z.string(),
  ok: z.boolean(),
  problem: HostProblemSchema.optional(),
  version: z.string().optional(),
  facts: HostFactsSchema.optional(),
  doctor: DoctorReportSchema.optional(),
});
export type HostCheck = z.infer<typeof HostCheckSchema>;

/** Where a run ran, recorded in experiment.json (`host`) when it is copied home from a host. */
export const RanOnSchema = z.object({
  name: HostNameSchema,
  destination: z.string().max(255),
  facts: HostFactsSchema.optional(),
  /** The run's id at the host. */
  remoteRunId: z.string().max(200).optional(),
});
export type RanOn = z.infer<typeof RanOnSchema>;

/** A known host with its last check (absent: never checked). */
export const HostEntrySchema = z.object({
  host: HostSchema,
  check: HostCheckSchema.optional(),
});
export type HostEntry = z.infer<typeof HostEntrySchema>;

/** Most hosts one run may go to at once. */
export const MAX_RUN_HOSTS = 16;

/** The name "this machine" takes beside lab hosts in a run on several places. */
export const THIS_MACHINE = 'this-machine';

/** Where a run goes: this machine and/or lab hosts by name (at least one place). */
export const RunPlacesSchema = z
  .strictObject({
    local: z.boolean(),
    hosts: z.array(HostNameSchema).max(MAX_RUN_HOSTS),
  })
  .refine((w) => w.local || w.hosts.length > 0, 'choose this machine or at least one host')
  .refine((w) => new Set(w.hosts).size === w.hosts.length, 'a host is named twice')
  .refine((w) => !w.hosts.includes(THIS_MACHINE), `"${THIS_MACHINE}" is not a lab host's name`);
export type RunPlaces = z.infer<typeof RunPlacesSchema>;

/** The prefix of a run over places' id (it is not a folder: its results are the places' runs). */
export const PLACES_RUN_PREFIX = 'places-';

/** How a place is named to people ("this machine", or the host's name). */
export function placeTitle(place: string): string {
  return place === THIS_MACHINE ? 'this machine' : place;
}

/**
 * The human name of a run over places while it runs (its id is `places-<id>`, not a folder):
 * the experiment's name and where it runs, e.g. "cpu study · this machine + lab1 + lab2".
 */
export function placesRunName(experimentName: string, places: readonly string[]): string {
  const where = places.map(placeTitle).join(' + ');
  const name = experimentName.trim();
  return name === '' ? where : `${name} · ${where}`;
}
