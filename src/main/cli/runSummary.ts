/**
 * The end-of-run lines of `benchvisor run`: the main metric's mean per target × benchmark, in the
 * order the samples came. A target is a platform with one combination of the varied guest shape
 * (its label, e.g. "QEMU TCG · raw · writeback"), so a variants run shows one line per target
 * instead of pooling them; a run without variants prints its platform ids as before.
 */
import type { Sample } from '../../shared/sample';
import { targetLabelOf, targetOf } from '../../shared/targets';

/** Width of the platform column in a run without variants (longer ids overflow it, as always). */
const PLATFORM_COLUMN = 9;
/** Width of the benchmark column (fits every benchmark id). */
const BENCHMARK_COLUMN = 10;

interface Line {
  name: string;
  /** True for a target of a variants run (named by its label). */
  labelled: boolean;
  benchmark: string;
  values: number[];
  failed: number;
  unit: string;
}

export function runSummaryLines(samples: readonly Sample[]): string {
  const groups = new Map<string, Line>();
  for (const s of samples) {
    const target = targetOf(s);
    // The platform id when nothing varies (unchanged output); the target's label otherwise.
    const labelled = target !== s.platform;
    const name = labelled ? targetLabelOf(s.platform, target) : s.platform;
    const k = `${target}\t${s.benchmark}`;
    const g = groups.get(k) ?? {
      name,
      labelled,
      benchmark: s.benchmark,
      values: [],
      failed: 0,
      unit: s.unit,
    };
    if (s.value === null) g.failed++;
    else g.values.push(s.value);
    groups.set(k, g);
  }
  // Labels are aligned to the longest; without variants the old fixed column stays as it was.
  const labels = [...groups.values()].filter((g) => g.labelled).map((g) => g.name.length);
  const width = Math.max(PLATFORM_COLUMN, ...labels);
  const lines = [...groups.values()].map((g) => {
    const mean = g.values.length ? g.values.reduce((a, b) => a + b, 0) / g.values.length : null;
    const value = mean === null ? 'no value' : `${mean.toPrecision(5)} ${g.unit}`;
    return `  ${g.name.padEnd(width)} ${g.benchmark.padEnd(BENCHMARK_COLUMN)} mean ${value} (n=${g.values.length}${g.failed ? `, ${g.failed} failed` : ''})`;
  });
  return lines.join('\n');
}
