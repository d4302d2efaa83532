/**
 * Experiment configuration (what the wizard produces and the CLI reads).
 * Defaults fill in; unknown fields are errors, so a typo never goes unnoticed.
 */
import { z } from 'zod';
import { BENCHMARK_IDS, PROFILE_IDS, paramsSchema, resolveParams } from './catalogue';
import type { BenchmarkId, ParamValues, ProfileId } from './catalogue';
import { PLATFORM_INFO, PlatformId } from './platforms';
import { diskNeed, fitGuestDisk } from './diskFit';
import { describeZodError } from './result';
import {
  CONTAINER_VARIANT_FIELDS,
  GUEST_VARIANT_FIELDS,
  listable,
  targetCountProblem,
} from './variants';
import type { GuestVariantField } from './variants';
import type { ContainerOption } from './platforms';

/** Default guest shape: 1 vCPU and 512 MiB, stated openly (QEMU's own default is 1 vCPU too). */
export const DEFAULT_VCPUS = 1;
export const DEFAULT_MEMORY_MIB = 512;
/** Benchmark disk size for VM guests and container volumes. */
export const DEFAULT_DISK_MIB = 256;
/** Per-repetition timeout when the config does not set one. */
export const DEFAULT_REPETITION_TIMEOUT_S = 300;

export const DiskFormat = z.enum(['raw', 'qcow2']);
export const CacheMode = z.enum(['none', 'writeback', 'writethrough', 'directsync', 'unsafe']);
export const Preallocation = z.enum(['off', 'metadata', 'falloc', 'full']);

export const GuestShapeSchema = z.strictObject({
  vcpus: z.number().int().min(1).max(64).default(DEFAULT_VCPUS),
  memoryMiB: z.number().int().min(64).max(65536).default(DEFAULT_MEMORY_MIB),
  diskFormat: DiskFormat.default('qcow2'),
  diskSizeMiB: z.number().int().min(16).max(1048576).default(DEFAULT_DISK_MIB),
  cacheMode: CacheMode.default('none'),
  preallocation: Preallocation.default('off'),
  /** A guest kernel the user picked (QEMU); otherwise the host's /boot kernel or the distribution's. */
  kernelPath: z.string().min(1).max(4096).optional(),
  /** The modules folder (lib/modules/<version>) matching kernelPath, for the virtio drivers. */
  modulesDir: z.string().min(1).max(4096).optional(),
});
export type GuestShape = z.infer<typeof GuestShapeSchema>;

export const DockerOptionsSchema = z.strictObject({
  /** host: the container shares the host network; bridge: a port published on 127.0.0.1. */
  network: z.enum(['host', 'bridge']).default('host'),
  /**
   * Where the disk benchmark writes: scratch (default) is a folder in the run's scratch area
   * bind-mounted into the container, on the same host filesystem as native's and the guests'
   * disk targets; volume is a named Docker volume (in Docker's data root); layer is the
   * container's own copy-on-write layer.
   */
  diskOn: z.enum(['scratch', 'volume', 'layer']).default('scratch'),
});
export type DockerOptions = z.infer<typeof DockerOptionsSchema>;

/** The guest section as a config gives it: each variant field one value or a list. */
export const GuestSpecSchema = GuestShapeSchema.extend({
  vcpus: listable(GuestShapeSchema.shape.vcpus),
  memoryMiB: listable(GuestShapeSchema.shape.memoryMiB),
  diskFormat: listable(GuestShapeSchema.shape.diskFormat),
  cacheMode: listable(GuestShapeSchema.shape.cacheMode),
  preallocation: listable(GuestShapeSchema.shape.preallocation),
});
/** The docker section as a config gives it: each option one value or a list. */
export const DockerSpecSchema = DockerOptionsSchema.extend({
  network: listable(DockerOptionsSchema.shape.network),
  diskOn: listable(DockerOptionsSchema.shape.diskOn),
});

/** The lists of values of the fields an experiment varies (only fields with ≥ 2 values). */
export type Variants = { [K in GuestVariantField]?: GuestShape[K][] } & {
  [K in ContainerOption]?: DockerOptions[K][];
};

/** The error for a benchmark name that does not exist: it lists the ones that do. */
export function unknownBenchmarkMessage(name: unknown): string {
  return `unknown benchmark ${JSON.stringify(name)}: the benchmarks are ${BENCHMARK_IDS.join(', ')}`;
}

const knownBenchmark = (name: unknown): boolean =>
  (BENCHMARK_IDS as readonly unknown[]).includes(name);

const BenchmarkEntrySchema = z.union(
  [
    z.enum(BENCHMARK_IDS),
    z.strictObject({
      id: z.enum(BENCHMARK_IDS, { error: (iss) => unknownBenchmarkMessage(iss.input) }),
      params: z.record(z.string(), z.number()).default({}),
    }),
  ],
  {
    // A union reports only "Invalid input"; an unknown name (as a string or an id) says which names exist.
    error: (iss) => {
      const v: unknown = iss.input;
      if (typeof v === 'string') return unknownBenchmarkMessage(v);
      const id = typeof v === 'object' && v !== null ? (v as { id?: unknown }).id : undefined;
      if (id !== undefined && !knownBenchmark(id)) return unknownBenchmarkMessage(id);
      return undefined;
    },
  },
);

export const AdaptiveSchema = z.strictObject({
  enabled: z.boolean().default(false),
  minRepetitions: z.number().int().min(2).max(1000).default(3),
  maxRepetitions: z.number().int().min(2).max(10000).default(20),
  /** Stop once the 95% CI half-width is below this percentage of the mean. */
  targetCiPercent: z.number().positive().max(100).default(5),
  /** Keep repeating at least this long (seconds of measured time per cell). */
  minSeconds: z.number().min(0).default(0),
});

/**
 * Default repetitions per cell: 5, measured (ARCHITECTURE.md "Default repetition count"). On our
 * shared 2-CPU machine a quick-profile run with native, Docker and TCG had 5 of 18 cells whose
 * 95% CI was wider than the mean at 3 repetitions, 1 at 5 (a cell with CV 80%), none at 8.
 */
export const DEFAULT_REPETITION_COUNT = 5;

/**
 * The order of repetitions (ARCHITECTURE.md "Run order"): interleaved = every target live at once,
 * rounds of one repetition per target in a seeded random order (idle targets paused);
 * sequential = each target runs all its repetitions before the next starts (order and time are
 * then confounded). A run recorded without the field ran sequentially (runOrderOf).
 */
export const RunOrder = z.enum(['interleaved', 'sequential']);
export type RunOrder = z.infer<typeof RunOrder>;
export const DEFAULT_RUN_ORDER: RunOrder = 'interleaved';
/** Most instances (boots / container starts) per target a config may ask for. */
export const MAX_INSTANCES = 20;

export const RepetitionsSchema = z.strictObject({
  count: z.number().int().min(1).max(10000).default(DEFAULT_REPETITION_COUNT),
  warmup: z.number().int().min(0).max(100).default(0),
  // prefault: an absent section is parsed as {}, so the field defaults above are the only ones.
  adaptive: AdaptiveSchema.prefault({}),
  order: RunOrder.default(DEFAULT_RUN_ORDER),
  /**
   * Instances per target: how many times each guest / container is booted or started, the
   * repetitions nested within them. Absent: instancesFor() decides (3 where targets are compared
   * and one of them is a guest or container, else 1).
   */
  instances: z.number().int().min(1).max(MAX_INSTANCES).optional(),
  /** Add an A/A control: a twin of the reference target, measured like any other target. */
  control: z.boolean().default(false),
});

export const TimeoutsSchema = z.strictObject({
  repetitionSeconds: z.number().positive().max(86400).default(DEFAULT_REPETITION_TIMEOUT_S),
});

/**
 * The platform an expectation's subject names: the platform itself ("qemu-tcg") or the
 * platform of one of its targets ("qemu-tcg.qcow2.cache-none"); null for neither.
 */
export function subjectPlatform(subject: string): PlatformId | null {
  for (const p of PlatformId.options)
    if (subject === p || subject.startsWith(`${p}.`)) return p as PlatformId;
  return null;
}

/**
 * Who an expectation compares: a platform, or one target of a run with variants
 * ("qcow2 ≥ 10% slower than raw": qemu-tcg.qcow2 against qemu-tcg.raw). Platform-only
 * expectations (every config from before variants) parse unchanged.
 */
export const ExpectationSubject = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]{0,159}$/, 'not a platform or target id')
  .refine(
    (s) => subjectPlatform(s) !== null,
    'not a platform or a target of one (e.g. qemu-tcg, qemu-tcg.qcow2.cache-none)',
  );

/** "by at least X%": the margin a faster/slower expectation asks for (extra time for the same work). */
const MarginPercent = z.number().positive().max(1000);

export const ExpectationSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('approx'),
    benchmark: z.enum(BENCHMARK_IDS),
    a: ExpectationSubject,
    b: ExpectationSubject,
    withinPercent: z.number().positive().max(1000),
  }),
  z.strictObject({
    kind: z.literal('faster'),
    benchmark: z.enum(BENCHMARK_IDS),
    a: ExpectationSubject,
    b: ExpectationSubject,
    /** A faster by at least this much: B takes ≥ X% more time for the same work. */
    byAtLeastPercent: MarginPercent.optional(),
  }),
  z.strictObject({
    kind: z.literal('slower'),
    benchmark: z.enum(BENCHMARK_IDS),
    a: ExpectationSubject,
    b: ExpectationSubject,
    /** A slower by at least this much: A takes ≥ X% more time for the same work. */
    byAtLeastPercent: MarginPercent.optional(),
  }),
  z.strictObject({
    kind: z.literal('ranking'),
    benchmark: z.enum(BENCHMARK_IDS),
    order: z.array(ExpectationSubject).min(2),
  }),
]);
export type Expectation = z.infer<typeof ExpectationSchema>;

export const ExperimentConfigSchema = z.strictObject({
  name: z.string().min(1).max(200).default('Untitled experiment'),
  platforms: z
    .array(PlatformId)
    .min(1, 'choose at least one platform')
    .refine((a) => new Set(a).size === a.length, 'a platform is listed twice'),
  profile: z.enum(PROFILE_IDS).default('quick'),
  benchmarks: z.array(BenchmarkEntrySchema).min(1, 'choose at least one benchmark'),
  // Absent sections are parsed as {}: every default is written once, on its field.
  guest: GuestSpecSchema.prefault({}),
  docker: DockerSpecSchema.prefault({}),
  repetitions: RepetitionsSchema.prefault({}),
  timeouts: TimeoutsSchema.prefault({}),
  /** Run what is available, recording why the rest was skipped (instead of refusing to start). */
  skipUnavailable: z.boolean().default(false),
  /**
   * Let a virtual machine have more vCPUs than the host has CPUs (refused otherwise). The run
   * records it (experiment.json `overcommit`) and a finding explains what it does to timings.
   */
  allowOvercommit: z.boolean().default(false),
  expectations: z.array(ExpectationSchema).default([]),
});
export type ExperimentConfigInput = z.input<typeof ExperimentConfigSchema>;

/** The defaults of each section, read from the schema (the wizard starts from these). */
export const DEFAULT_GUEST: GuestShape = GuestShapeSchema.parse({});
export const DEFAULT_DOCKER: DockerOptions = DockerOptionsSchema.parse({});
export const DEFAULT_REPETITIONS: z.infer<typeof RepetitionsSchema> = RepetitionsSchema.parse({});

/** The numeric guest-shape fields (the wizard's number inputs). */
export type GuestNumberField = 'vcpus' | 'memoryMiB' | 'diskSizeMiB';

/** A numeric field's limits, read from the schema (the wizard's input limits). */
export function guestLimits(field: GuestNumberField): { min: number; max: number } {
  const inner = GuestShapeSchema.shape[field].unwrap();
  return { min: inner.minValue ?? 0, max: inner.maxValue ?? Number.MAX_SAFE_INTEGER };
}
type ParsedConfig = z.infer<typeof ExperimentConfigSchema>;

export interface ResolvedBenchmark {
  id: BenchmarkId;
  params: ParamValues;
}

/**
 * A fully resolved experiment: every default filled, every benchmark with complete
 * params. guest/docker hold one shape (the first value of each list); variants holds
 * the lists of the fields that vary (absent or empty: one shape, as before).
 */
export type ExperimentConfig = Omit<ParsedConfig, 'benchmarks' | 'guest' | 'docker'> & {
  benchmarks: ResolvedBenchmark[];
  guest: GuestShape;
  docker: DockerOptions;
  variants?: Variants;
};

export type ConfigParse = { ok: true; config: ExperimentConfig } | { ok: false; message: string };

/** Did the input set guest.diskSizeMiB (else the disk is sized to fit the benchmarks)? */
function diskSizeGiven(input: unknown): boolean {
  const guest = (input as { guest?: unknown } | null)?.guest;
  return typeof guest === 'object' && guest !== null && 'diskSizeMiB' in guest;
}

/** Parses and resolves a config; the error message names each bad field. */
export function parseExperimentConfig(input: unknown): ConfigParse {
  const parsed = ExperimentConfigSchema.safeParse(input);
  if (!parsed.success) return { ok: false, message: describeZodError(parsed.error) };
  const cfg = parsed.data;
  const benchmarks: ResolvedBenchmark[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  cfg.benchmarks.forEach((entry, i) => {
    const id = typeof entry === 'string' ? entry : entry.id;
    const overrides = typeof entry === 'string' ? {} : entry.params;
    if (seen.has(id)) problems.push(`benchmarks.${i}: benchmark "${id}" is listed twice`);
    seen.add(id);
    const p = paramsSchema(id).safeParse(overrides);
    if (!p.success) {
      for (const issue of p.error.issues) {
        const field = ['benchmarks', i, 'params', ...issue.path].map(String).join('.');
        problems.push(`${field}: ${issue.message}`);
      }
      return;
    }
    const params = resolveParams(id, cfg.profile as ProfileId, p.data);
    if (id === 'forksum' && (params.end ?? 0) < (params.start ?? 0)) {
      problems.push(`benchmarks.${i}.params.end: must be ≥ start (the range [start,end] is empty)`);
    }
    benchmarks.push({ id, params });
  });
  const ad = cfg.repetitions.adaptive;
  if (ad.enabled && ad.maxRepetitions < ad.minRepetitions) {
    problems.push('repetitions.adaptive.maxRepetitions: must be ≥ minRepetitions');
  }
  // Only where a chosen platform has a benchmark disk of guest.diskSizeMiB (the VMs).
  const sized = cfg.platforms.some((p) => PLATFORM_INFO[p].guestFields.includes('diskSizeMiB'));
  const need = sized ? diskNeed(benchmarks) : null;
  const fit = fitGuestDisk(cfg.guest.diskSizeMiB, diskSizeGiven(input), need);
  if (!fit.ok) problems.push(fit.message);
  if (problems.length > 0) return { ok: false, message: problems.join('\n') };
  const guest = (fit.ok ? { ...cfg.guest, diskSizeMiB: fit.diskSizeMiB } : cfg.guest) as Record<
    string,
    unknown
  >;
  const docker = { ...cfg.docker } as Record<string, unknown>;
  const variants: Record<string, unknown[]> = {};
  const split = (section: Record<string, unknown>, fields: readonly string[]): void => {
    for (const f of fields) {
      const v = section[f];
      if (!Array.isArray(v)) continue;
      section[f] = v[0];
      if (v.length > 1) variants[f] = [...v];
    }
  };
  split(guest, GUEST_VARIANT_FIELDS);
  split(docker, CONTAINER_VARIANT_FIELDS);
  const resolved: ExperimentConfig = {
    ...cfg,
    benchmarks,
    guest: guest as GuestShape,
    docker: docker as DockerOptions,
  };
  if (Object.keys(variants).length > 0) resolved.variants = variants as Variants;
  const tooMany = targetCountProblem(resolved.platforms, variants);
  if (tooMany) return { ok: false, message: tooMany };
  return { ok: true, config: resolved };
}

/**
 * The config as a file holds it (experiment.json, a saved wizard config): varied
 * fields folded back into lists in their sections, so it parses to the same config.
 */
export function configForFile(config: ExperimentConfig): ExperimentConfigInput {
  const { variants, ...rest } = config;
  const guest: Record<string, unknown> = { ...config.guest };
  const docker: Record<string, unknown> = { ...config.docker };
  for (const [field, values] of Object.entries(variants ?? {})) {
    if (!values || values.length < 2) continue;
    if ((GUEST_VARIANT_FIELDS as readonly string[]).includes(field)) guest[field] = values;
    else docker[field] = values;
  }
  return { ...rest, guest, docker } as ExperimentConfigInput;
}
