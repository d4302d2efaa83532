/** The experiment being set up in the wizard, and the step the user is on. */
import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { BenchvisorApi, Preview } from '../../../shared/api';
import { BENCHMARK_IDS, CATALOGUE, PROFILE_IDS } from '../../../shared/catalogue';
import type { BenchmarkId, ProfileId } from '../../../shared/catalogue';
import {
  DEFAULT_DOCKER,
  DEFAULT_GUEST,
  DEFAULT_REPETITIONS,
  type RunOrder,
  DEFAULT_REPETITION_TIMEOUT_S,
  ExperimentConfigSchema,
  parseExperimentConfig,
} from '../../../shared/config';
import type {
  DockerOptions,
  Expectation,
  ExperimentConfig,
  ExperimentConfigInput,
  GuestShape,
} from '../../../shared/config';
import { PLATFORM_INFO } from '../../../shared/platforms';
import type { PlatformId } from '../../../shared/platforms';
import type { VariantField } from '../../../shared/variants';
import {
  configSections,
  draftFromConfig,
  setComparing,
  toggleValue,
  type CompareDraft,
  type VariantValue,
} from '../wizard/variantDraft';

export type StepId = 'platforms' | 'guest' | 'benchmarks' | 'repetitions' | 'review';

export const STEP_TITLES: Record<StepId, string> = {
  platforms: 'Platforms',
  guest: 'Guest',
  benchmarks: 'Benchmarks',
  repetitions: 'Repetitions',
  review: 'Review',
};

export interface RepetitionsDraft {
  count: number;
  warmup: number;
  adaptive: boolean;
  minRepetitions: number;
  maxRepetitions: number;
  targetCiPercent: number;
  /** Adaptive: keep repeating at least this long (seconds of measured time per cell). */
  minSeconds: number;
  /** A repetition still running after this long is killed and recorded as failed. */
  timeoutSeconds: number;
  /** interleaved (rounds, idle targets paused) or sequential (one target after another). */
  order: RunOrder;
  /** Instances (boots / container starts) per target; null: the automatic default. */
  instances: number | null;
  /** The A/A control: a twin of the reference target. */
  control: boolean;
}

/**
 * The config's yes/no fields (skipUnavailable, allowOvercommit, …), read from the schema's
 * type: the wizard keeps each as it is, so a new one is carried by load and save unasked.
 */
export type FlagField = {
  [K in keyof ExperimentConfig]-?: ExperimentConfig[K] extends boolean ? K : never;
}[keyof ExperimentConfig];
export type WizardFlags = { [K in FlagField]: boolean };

/** The flags and their defaults, read from the schema (each a boolean with a default). */
export const DEFAULT_FLAGS: WizardFlags = Object.fromEntries(
  Object.entries(ExperimentConfigSchema.shape).flatMap(([key, schema]) => {
    const d = (schema as { safeParse(v: unknown): { success: boolean; data?: unknown } }).safeParse(
      undefined,
    );
    return d.success && typeof d.data === 'boolean' ? [[key, d.data]] : [];
  }),
) as WizardFlags;

const flagsOf = (from: WizardFlags): WizardFlags =>
  Object.fromEntries(
    (Object.keys(DEFAULT_FLAGS) as FlagField[]).map((k) => [k, from[k]]),
  ) as WizardFlags;

/**
 * What the wizard saves: every top-level field of the config, none optional, so a field added
 * to the schema does not compile here until the wizard says how it keeps it.
 */
export type WizardConfig = { [K in keyof ExperimentConfigInput]-?: ExperimentConfigInput[K] };

export interface WizardState extends WizardFlags {
  step: StepId;
  name: string;
  platforms: PlatformId[];
  profile: ProfileId;
  /** Selected benchmarks in catalogue order. */
  benchmarks: BenchmarkId[];
  /** Per benchmark: values the user typed over the profile defaults. */
  params: Partial<Record<BenchmarkId, Record<string, number>>>;
  guest: GuestShape;
  /** Docker-only options (used when docker is among the platforms). */
  docker: DockerOptions;
  /** Fields compared over several values ("raw and qcow2"); guest/docker hold the first. */
  compare: CompareDraft;
  repetitions: RepetitionsDraft;
  /** The user's own expectations, checked against the results (findings). */
  expectations: Expectation[];
  preview: Preview | null;
  previewError: string | null;
  previewLoading: boolean;
}

export interface WizardActions {
  goTo(step: StepId): void;
  next(): void;
  back(): void;
  setName(name: string): void;
  togglePlatform(id: PlatformId, on: boolean): void;
  setProfile(p: ProfileId): void;
  toggleBenchmark(id: BenchmarkId, on: boolean): void;
  setParam(id: BenchmarkId, key: string, value: number | null): void;
  setGuest(patch: Partial<GuestShape>): void;
  setDocker(patch: Partial<DockerOptions>): void;
  /** Switches a field to "compare several values" or back to one. */
  setComparing(field: VariantField, on: boolean): void;
  /** Ticks or unticks one value of a compared field. */
  toggleCompareValue(field: VariantField, value: VariantValue, on: boolean): void;
  addExpectation(e: Expectation): void;
  removeExpectation(index: number): void;
  /** Replaces the expectations (the review removes those this experiment cannot check). */
  setExpectations(list: Expectation[]): void;
  setRepetitions(patch: Partial<RepetitionsDraft>): void;
  setSkipUnavailable(v: boolean): void;
  /** Sets one of the config's yes/no fields. */
  setFlag(field: FlagField, v: boolean): void;
  /** The config the wizard describes (validated on the Node side). */
  config(): WizardConfig;
  /**
   * Fills the wizard from a saved or past experiment config and opens the Review step.
   * Returns why it could not (the message names the field), or null.
   */
  loadConfig(input: unknown): string | null;
  loadPreview(): Promise<void>;
}

export type WizardStore = StoreApi<WizardState & WizardActions>;

/** The steps shown for the current selection: Guest only once a VM or container platform is chosen. */
export function visibleSteps(platforms: PlatformId[]): StepId[] {
  const shaped = platforms.some((p) => PLATFORM_INFO[p].shaped);
  return shaped
    ? ['platforms', 'guest', 'benchmarks', 'repetitions', 'review']
    : ['platforms', 'benchmarks', 'repetitions', 'review'];
}

export function createWizardStore(api: BenchvisorApi): WizardStore {
  return createStore<WizardState & WizardActions>()((set, get) => ({
    step: 'platforms',
    name: 'My experiment',
    platforms: ['native'],
    profile: PROFILE_IDS[0],
    benchmarks: [...BENCHMARK_IDS],
    params: {},
    // The schema's defaults (shared/config.ts): written once, there.
    guest: { ...DEFAULT_GUEST },
    docker: { ...DEFAULT_DOCKER },
    compare: {},
    repetitions: {
      count: DEFAULT_REPETITIONS.count,
      warmup: DEFAULT_REPETITIONS.warmup,
      adaptive: DEFAULT_REPETITIONS.adaptive.enabled,
      minRepetitions: DEFAULT_REPETITIONS.adaptive.minRepetitions,
      maxRepetitions: DEFAULT_REPETITIONS.adaptive.maxRepetitions,
      targetCiPercent: DEFAULT_REPETITIONS.adaptive.targetCiPercent,
      minSeconds: DEFAULT_REPETITIONS.adaptive.minSeconds,
      timeoutSeconds: DEFAULT_REPETITION_TIMEOUT_S,
      order: DEFAULT_REPETITIONS.order,
      instances: null,
      control: DEFAULT_REPETITIONS.control,
    },
    ...DEFAULT_FLAGS,
    expectations: [],
    preview: null,
    previewError: null,
    previewLoading: false,

    goTo: (step) => set({ step }),
    next: () => {
      const steps = visibleSteps(get().platforms);
      const i = steps.indexOf(get().step);
      const nextStep = steps[Math.min(i + 1, steps.length - 1)];
      if (nextStep) set({ step: nextStep });
    },
    back: () => {
      const steps = visibleSteps(get().platforms);
      const i = steps.indexOf(get().step);
      const prev = steps[Math.max(i - 1, 0)];
      if (prev) set({ step: prev });
    },
    setName: (name) => set({ name }),
    togglePlatform: (id, on) =>
      set((s) => {
        const chosen = new Set(s.platforms);
        if (on) chosen.add(id);
        else chosen.delete(id);
        // Keep the canonical order (native first: the reference).
        return {
          platforms: (Object.keys(PLATFORM_INFO) as PlatformId[]).filter((p) => chosen.has(p)),
        };
      }),
    setProfile: (profile) => set({ profile }),
    toggleBenchmark: (id, on) =>
      set((s) => {
        const chosen = new Set(s.benchmarks);
        if (on) chosen.add(id);
        else chosen.delete(id);
        return { benchmarks: BENCHMARK_IDS.filter((b) => chosen.has(b)) };
      }),
    setParam: (id, key, value) =>
      set((s) => {
        const current = { ...(s.params[id] ?? {}) };
        if (value === null) delete current[key];
        else current[key] = value;
        return { params: { ...s.params, [id]: current } };
      }),
    setGuest: (patch) => set((s) => ({ guest: { ...s.guest, ...patch } })),
    setDocker: (patch) => set((s) => ({ docker: { ...s.docker, ...patch } })),
    setComparing: (field, on) => set((s) => setComparing(s, field, on)),
    toggleCompareValue: (field, value, on) => set((s) => toggleValue(s, field, value, on)),
    addExpectation: (e) => set((s) => ({ expectations: [...s.expectations, e] })),
    removeExpectation: (index) =>
      set((s) => ({ expectations: s.expectations.filter((_, i) => i !== index) })),
    setExpectations: (list) => set({ expectations: [...list] }),
    setRepetitions: (patch) => set((s) => ({ repetitions: { ...s.repetitions, ...patch } })),
    setSkipUnavailable: (skipUnavailable) => set({ skipUnavailable }),
    setFlag: (field, v) => set({ [field]: v }),

    config: () => {
      const s = get();
      const r = s.repetitions;
      return {
        name: s.name.trim() || 'Untitled experiment',
        platforms: s.platforms,
        profile: s.profile,
        benchmarks: s.benchmarks.map((id) => {
          const params = s.params[id];
          return params && Object.keys(params).length > 0 ? { id, params } : id;
        }),
        // Always saved, so that "Run again…" and a saved file keep every field; a compared
        // field is its list of values.
        ...configSections(s),
        repetitions: {
          count: r.count,
          warmup: r.warmup,
          adaptive: {
            enabled: r.adaptive,
            minRepetitions: r.minRepetitions,
            maxRepetitions: r.maxRepetitions,
            targetCiPercent: r.targetCiPercent,
            minSeconds: r.minSeconds,
          },
          order: r.order,
          ...(r.instances !== null ? { instances: r.instances } : {}),
          control: r.control,
        },
        timeouts: { repetitionSeconds: r.timeoutSeconds },
        ...flagsOf(s),
        expectations: s.expectations,
      };
    },

    loadConfig: (input) => {
      const parsed = parseExperimentConfig(input);
      if (!parsed.ok) return parsed.message;
      const c = parsed.config;
      // Keep only the parameters that differ from the profile's defaults (what the user typed).
      const params: WizardState['params'] = {};
      for (const b of c.benchmarks) {
        const defaults = CATALOGUE[b.id].profiles[c.profile];
        const typed = Object.fromEntries(
          Object.entries(b.params).filter(([k, v]) => defaults[k] !== v),
        );
        if (Object.keys(typed).length > 0) params[b.id] = typed;
      }
      const a = c.repetitions.adaptive;
      set({
        step: 'review',
        name: c.name,
        // In the config's own order (the run order), not the catalogue's.
        platforms: [...c.platforms],
        profile: c.profile,
        benchmarks: c.benchmarks.map((b) => b.id),
        params,
        // The lists of the compared fields exactly, in their order.
        ...draftFromConfig(c),
        repetitions: {
          count: c.repetitions.count,
          warmup: c.repetitions.warmup,
          adaptive: a.enabled,
          minRepetitions: a.minRepetitions,
          maxRepetitions: a.maxRepetitions,
          targetCiPercent: a.targetCiPercent,
          minSeconds: a.minSeconds,
          timeoutSeconds: c.timeouts.repetitionSeconds,
          order: c.repetitions.order,
          instances: c.repetitions.instances ?? null,
          control: c.repetitions.control,
        },
        ...flagsOf(c),
        expectations: c.expectations,
        preview: null,
        previewError: null,
      });
      return null;
    },

    loadPreview: async () => {
      set({ previewLoading: true, previewError: null });
      const res = await api.call('experiment:preview', { config: get().config() });
      if (res.ok) set({ preview: res.value, previewLoading: false });
      else set({ preview: null, previewError: res.error.message, previewLoading: false });
    },
  }));
}
