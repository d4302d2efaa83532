/**
 * Targets: the experiment's matrix of platform × the variant values that apply to
 * it. "Applies" comes from the platform's traits (guestFields, containerOptions):
 * native runs once whatever varies, a container multiplies by the fields it takes,
 * a machine by all guest fields. A target has a stable id (the platform id when
 * nothing varies for it, so one-shape runs read as before) and a readable label.
 */
import { z } from 'zod';
import type { DockerOptions, ExperimentConfig, GuestShape } from './config';
import { PLATFORM_INFO, REFERENCE_PLATFORM, type PlatformId } from './platforms';
import type { SampleMetaFields } from './sampleMeta/registry';
import { fieldApplies, targetCountProblem, VARIANT_FIELDS, type VariantField } from './variants';

export { fieldApplies };

export interface Target {
  /** Stable id: platform id, then one token per varied field that applies (`qemu-tcg.raw.cache-none`). */
  id: string;
  platform: PlatformId;
  /** "QEMU TCG · raw · none". */
  label: string;
  /** The fully resolved guest shape and container options of this target. */
  guest: GuestShape;
  docker: DockerOptions;
  /** The varied fields that apply to this target and their values here. */
  varied: Partial<Record<VariantField, string | number>>;
  /** The A/A control: a twin of the reference target (the same system measured twice). */
  control?: boolean;
}

/** The last id token and label part of the A/A control twin. */
export const CONTROL_TOKEN = 'control';
export const CONTROL_LABEL = 'A/A control';

/** A target id as requests may name it: lower case letters, digits, dots and dashes (file-name safe). */
export const TargetIdSchema = z.string().regex(/^[a-z0-9][a-z0-9.-]{0,159}$/, 'not a target id');

/** A target as the run view lists it (one console each). */
export const TargetInfoSchema = z.object({
  id: z.string(),
  platform: z.string(),
  label: z.string(),
});
export type TargetInfo = z.infer<typeof TargetInfoSchema>;

/** How a value appears in an id (lower case, file-name safe) and in a label. */
const TOKENS: Record<VariantField, { id: (v: string) => string; label: (v: string) => string }> = {
  diskFormat: { id: (v) => v, label: (v) => v },
  cacheMode: { id: (v) => `cache-${v}`, label: (v) => v },
  preallocation: { id: (v) => `prealloc-${v}`, label: (v) => `prealloc ${v}` },
  vcpus: { id: (v) => `${v}cpu`, label: (v) => `${v} vCPU${v === '1' ? '' : 's'}` },
  memoryMiB: { id: (v) => `${v}mib`, label: (v) => `${v} MiB` },
  network: { id: (v) => `net-${v}`, label: (v) => `${v} network` },
  diskOn: { id: (v) => `disk-${v}`, label: (v) => `disk on ${v}` },
};

/** How TOKENS' ids read back (the disk format's bare token is the fallback). */
const ID_PATTERNS: readonly [VariantField, RegExp][] = [
  ['cacheMode', /^cache-(.+)$/],
  ['preallocation', /^prealloc-(.+)$/],
  ['vcpus', /^(\d+)cpu$/],
  ['memoryMiB', /^(\d+)mib$/],
  ['network', /^net-(.+)$/],
  ['diskOn', /^disk-(.+)$/],
];

/** Separates the label's parts. */
export const LABEL_SEPARATOR = ' · ';

/** What the expansion reads of a config (the wizard expands its draft with the same code). */
export type TargetSource = Pick<ExperimentConfig, 'platforms' | 'guest' | 'docker' | 'variants'> & {
  /** repetitions.control adds the A/A control twin (absent: no twin). */
  repetitions?: { control?: boolean };
};

/** The varied fields (with their lists) that apply to the platform, in naming order. */
export function appliedVariants(
  config: Pick<ExperimentConfig, 'variants'>,
  platform: PlatformId,
): { field: VariantField; section: 'guest' | 'docker'; values: (string | number)[] }[] {
  const out: { field: VariantField; section: 'guest' | 'docker'; values: (string | number)[] }[] =
    [];
  for (const { field, section } of VARIANT_FIELDS) {
    const values = config.variants?.[field] as (string | number)[] | undefined;
    if (values && values.length > 1 && fieldApplies(platform, field))
      out.push({ field, section, values });
  }
  return out;
}

/** Every combination of the lists, the first field varying slowest. */
function combinations<T>(lists: T[][]): T[][] {
  return lists.reduce<T[][]>((acc, list) => acc.flatMap((c) => list.map((v) => [...c, v])), [[]]);
}

export type TargetExpansion = { ok: true; targets: Target[] } | { ok: false; message: string };

/** Expands the config into its targets, in platform order; refuses more than MAX_TARGETS. */
export function expandTargets(config: TargetSource): TargetExpansion {
  const problem = targetCountProblem(config.platforms, config.variants ?? {});
  if (problem) return { ok: false, message: problem };
  const targets: Target[] = [];
  for (const platform of config.platforms) {
    const applied = appliedVariants(config, platform);
    const combos = combinations(applied.map((a) => a.values));
    for (const combo of combos) {
      const guest: Record<string, unknown> = { ...config.guest };
      const docker: Record<string, unknown> = { ...config.docker };
      const varied: Partial<Record<VariantField, string | number>> = {};
      const ids: string[] = [platform];
      const labels: string[] = [PLATFORM_INFO[platform].shortTitle];
      applied.forEach((a, i) => {
        const v = combo[i] as string | number;
        (a.section === 'guest' ? guest : docker)[a.field] = v;
        varied[a.field] = v;
        ids.push(TOKENS[a.field].id(String(v)));
        labels.push(TOKENS[a.field].label(String(v)));
      });
      targets.push({
        id: ids.join('.'),
        platform,
        label: labels.join(LABEL_SEPARATOR),
        guest: guest as GuestShape,
        docker: docker as DockerOptions,
        varied,
      });
    }
  }
  if (config.repetitions?.control) {
    const twin = controlTwin(targets);
    if (twin) targets.push(twin);
  }
  return { ok: true, targets };
}

/**
 * The reference target a control twins: native when it runs, else the first target (the same
 * default as stats/reference.ts defaultReference).
 */
export function controlledTarget(targets: readonly Target[]): Target | undefined {
  return (
    targets.find((t) => t.platform === REFERENCE_PLATFORM && !t.control) ??
    targets.find((t) => !t.control)
  );
}

/** The A/A control: the reference target again, with its own id and label. */
function controlTwin(targets: readonly Target[]): Target | undefined {
  const ref = controlledTarget(targets);
  if (!ref) return undefined;
  return {
    ...ref,
    id: `${ref.id}.${CONTROL_TOKEN}`,
    label: `${ref.label}${LABEL_SEPARATOR}${CONTROL_LABEL}`,
    control: true,
  };
}

/** The id of the target a control twin's id twins (null: not a control). */
export function controlledIdOf(target: string): string | null {
  const suffix = `.${CONTROL_TOKEN}`;
  return target.endsWith(suffix) ? target.slice(0, -suffix.length) : null;
}

/** The config a target's platform receives: the experiment with this target's shape. */
export function targetConfig(config: ExperimentConfig, target: Target): ExperimentConfig {
  const { variants: _variants, ...rest } = config;
  return { ...rest, guest: target.guest, docker: target.docker };
}

/**
 * What every sample of a target records in meta: its id and label, the variant fields
 * that apply to its platform with their values here, and the accelerator.
 */
export function targetShape(target: Target): SampleMetaFields {
  const meta: SampleMetaFields = { target: target.id, targetLabel: target.label };
  if (target.control) meta.control = true;
  // Every variant field is a registered key of the same name (sampleMeta/keys/shapeKeys.ts).
  const fields = meta as Record<VariantField, unknown>;
  for (const { field, section } of VARIANT_FIELDS) {
    if (fieldApplies(target.platform, field))
      fields[field] = (section === 'guest' ? target.guest : target.docker)[field as never];
  }
  const accel = PLATFORM_INFO[target.platform].accelerator;
  if (accel) meta.accel = accel;
  return meta;
}

/**
 * A target of a comparison across lab hosts: the run's own target on one host,
 * `<target>.on-<host>`, labelled "<host> · <label>" (the host is a dimension of the matrix).
 */
const HOST_TARGET_PATTERN = /^(.+)\.on-([a-z0-9-]+)$/;

/** The id of `target` as measured on host `host` (a comparison across hosts). */
export function hostTargetId(target: string, host: string): string {
  return `${target}.on-${host.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`;
}

/** The run's own target of a host target (the id itself when it names no host). */
export function targetWithoutHost(target: string): string {
  return HOST_TARGET_PATTERN.exec(target)?.[1] ?? target;
}

/** Reads a label back from a target id (for records that carry only the id). */
export function targetLabelOf(platform: PlatformId, target: string): string {
  const onHost = HOST_TARGET_PATTERN.exec(target);
  if (onHost)
    return `${onHost[2]}${LABEL_SEPARATOR}${targetLabelOf(platform, onHost[1] as string)}`;
  const base = PLATFORM_INFO[platform].shortTitle;
  if (target === platform || !target.startsWith(`${platform}.`)) return base;
  const parts = target
    .slice(platform.length + 1)
    .split('.')
    .map((token) => {
      if (token === CONTROL_TOKEN) return CONTROL_LABEL;
      // Each id token is a value with its field's fixed text around it (TOKENS); the
      // disk format is the one bare token.
      for (const [field, pattern] of ID_PATTERNS) {
        const m = pattern.exec(token);
        if (m) return TOKENS[field].label(m[1] as string);
      }
      return TOKENS.diskFormat.label(token);
    });
  return [base, ...parts].join(LABEL_SEPARATOR);
}

/** The target id of a sample or cell written before variants existed: its platform. */
export function targetOf(record: { platform: PlatformId; target?: string | undefined }): string {
  return record.target ?? record.platform;
}
