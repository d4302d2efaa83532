/**
 * The wizard's "compare several values" draft: which variant fields the user switched
 * to a multi-value pick, the values ticked, and how that becomes the config's guest /
 * docker sections (lists) and its targets. Pure functions, no React: the fields, their
 * allowed values and the target expansion come from the shared schema and targets.ts.
 */
import { z } from 'zod';
import {
  DockerOptionsSchema,
  GuestShapeSchema,
  type DockerOptions,
  type ExperimentConfig,
  type ExperimentConfigInput,
  type GuestShape,
  type Variants,
} from '../../../shared/config';
import type { PlatformId } from '../../../shared/platforms';
import { expandTargets, type TargetExpansion } from '../../../shared/targets';
import {
  MAX_VALUES_PER_FIELD,
  VARIANT_FIELDS,
  fieldApplies,
  type VariantField,
} from '../../../shared/variants';

export type VariantValue = string | number;

/** The fields switched to "compare several values", each with the values ticked (≥ 1). */
export type CompareDraft = Partial<Record<VariantField, VariantValue[]>>;

/** What the wizard edits for the guest shape and container options. */
export interface ShapeDraft {
  /** One value per field; for a compared field, its first ticked value. */
  guest: GuestShape;
  docker: DockerOptions;
  compare: CompareDraft;
}

/** A field's allowed values, read from the schema: a list of names, or a number range. */
export type FieldChoices =
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'number'; min: number; max: number; integer: boolean };

/** The config section a variant field lives in. */
export function sectionOf(field: VariantField): 'guest' | 'docker' {
  return VARIANT_FIELDS.find((f) => f.field === field)?.section ?? 'guest';
}

/** The field's schema without its default (the single-value form). */
function fieldSchema(field: VariantField): z.ZodType {
  const shape = (sectionOf(field) === 'guest' ? GuestShapeSchema : DockerOptionsSchema)
    .shape as unknown as Record<string, z.ZodDefault<z.ZodType> | undefined>;
  const f = shape[field];
  if (!f) throw new Error(`no schema for the variant field ${field}`);
  return f.unwrap();
}

/** The values a field may take (from the schema, never repeated here). */
export function fieldChoices(field: VariantField): FieldChoices {
  const inner = fieldSchema(field);
  if (inner instanceof z.ZodEnum) return { kind: 'enum', values: inner.options as string[] };
  if (inner instanceof z.ZodNumber)
    return {
      kind: 'number',
      min: inner.minValue ?? 0,
      max: inner.maxValue ?? Number.MAX_SAFE_INTEGER,
      integer: inner.isInt,
    };
  throw new Error(`the variant field ${field} is neither a choice nor a number`);
}

/** Why a value cannot be one of the field's values, or null (the schema decides). */
export function valueProblem(field: VariantField, value: VariantValue): string | null {
  const r = fieldSchema(field).safeParse(value);
  return r.success ? null : (r.error.issues[0]?.message ?? 'not allowed');
}

/** The field's current single value. */
export function singleValue(d: Pick<ShapeDraft, 'guest' | 'docker'>, field: VariantField) {
  return (sectionOf(field) === 'guest' ? d.guest : d.docker)[field as never] as VariantValue;
}

/** Values in the field's natural order: the schema's for names, ascending for numbers. */
function canonical(field: VariantField, values: VariantValue[]): VariantValue[] {
  const choices = fieldChoices(field);
  if (choices.kind === 'number') return [...values].sort((a, b) => Number(a) - Number(b));
  return [...values].sort(
    (a, b) => choices.values.indexOf(String(a)) - choices.values.indexOf(String(b)),
  );
}

/** Sets a field's single value in its section. */
function withSingle(d: ShapeDraft, field: VariantField, value: VariantValue): ShapeDraft {
  return sectionOf(field) === 'guest'
    ? { ...d, guest: { ...d.guest, [field]: value } }
    : { ...d, docker: { ...d.docker, [field]: value } };
}

/**
 * Switches a field to "compare several values" (starting from its current value) or
 * back to one value (the first one ticked).
 */
export function setComparing(d: ShapeDraft, field: VariantField, on: boolean): ShapeDraft {
  const compare = { ...d.compare };
  if (on) {
    if (!compare[field]) compare[field] = [singleValue(d, field)];
    return { ...d, compare };
  }
  const first = compare[field]?.[0];
  delete compare[field];
  const next = { ...d, compare };
  return first === undefined ? next : withSingle(next, field, first);
}

/**
 * Ticks or unticks one value of a compared field. The last value stays (a field
 * compares at least one value), values keep their natural order, and at most
 * MAX_VALUES_PER_FIELD are taken. The first value is the field's single value.
 */
export function toggleValue(
  d: ShapeDraft,
  field: VariantField,
  value: VariantValue,
  on: boolean,
): ShapeDraft {
  const current = d.compare[field] ?? [singleValue(d, field)];
  let values = current.filter((v) => v !== value);
  if (on) {
    if (values.length >= MAX_VALUES_PER_FIELD || valueProblem(field, value) !== null) return d;
    values = canonical(field, [...values, value]);
  }
  if (values.length === 0) return d;
  const next = { ...d, compare: { ...d.compare, [field]: values } };
  return withSingle(next, field, values[0] as VariantValue);
}

/** The lists of the fields that vary (two or more values ticked), as the config holds them. */
export function variantsOf(compare: CompareDraft): Variants {
  const out: Record<string, VariantValue[]> = {};
  for (const { field } of VARIANT_FIELDS) {
    const values = compare[field];
    if (values && values.length > 1) out[field] = [...values];
  }
  return out as Variants;
}

/** The guest and docker sections of the config: a list where a field varies, else one value. */
export function configSections(d: ShapeDraft): {
  guest: NonNullable<ExperimentConfigInput['guest']>;
  docker: NonNullable<ExperimentConfigInput['docker']>;
} {
  const guest: Record<string, unknown> = { ...d.guest };
  const docker: Record<string, unknown> = { ...d.docker };
  for (const [field, values] of Object.entries(variantsOf(d.compare))) {
    (sectionOf(field as VariantField) === 'guest' ? guest : docker)[field] = values;
  }
  return { guest, docker } as ReturnType<typeof configSections>;
}

/** The draft a resolved config describes: its lists exactly, in their order. */
export function draftFromConfig(c: ExperimentConfig): ShapeDraft {
  const compare: CompareDraft = {};
  for (const { field } of VARIANT_FIELDS) {
    const values = c.variants?.[field] as VariantValue[] | undefined;
    if (values && values.length > 1) compare[field] = [...values];
  }
  return { guest: { ...c.guest }, docker: { ...c.docker }, compare };
}

/**
 * The targets the draft gives on these platforms, or the engine's own refusal (too
 * many targets, naming the fields): the same expansion the runner performs.
 */
export function draftTargets(platforms: readonly PlatformId[], d: ShapeDraft): TargetExpansion {
  const variants = variantsOf(d.compare);
  return expandTargets({
    platforms: [...platforms],
    guest: d.guest,
    docker: d.docker,
    ...(Object.keys(variants).length > 0 ? { variants } : {}),
  });
}

/** Does any chosen platform take this field (else comparing it changes nothing)? */
export function fieldUsed(platforms: readonly PlatformId[], field: VariantField): boolean {
  return platforms.some((p) => fieldApplies(p, field));
}
