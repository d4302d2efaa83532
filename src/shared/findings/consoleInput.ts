/**
 * Console input during measured repetitions: the engine records in a sample's meta
 * (`consoleInput`) what was typed into its target's console while it ran. The benchmark may have
 * read it, the console echoed it, a guest's shell woke for it: that repetition's time may include
 * the typing. One finding per cell names its affected repetitions.
 */
import type { z } from 'zod';
import { ConsoleInputSchema } from '../sampleMeta/keys/runKeys';
import { metaOf, type SampleMetaKey } from '../sampleMeta/registry';
import { CATALOGUE } from '../catalogue';
import { PLATFORM_INFO } from '../platforms';
import type { Sample } from '../sample';
import { targetLabelOf, targetOf } from '../targets';
import type { FindingsInput } from './context';
import type { Finding } from './types';

/** The sample meta key the engine records console input under. */
export const CONSOLE_INPUT_META_KEY = 'consoleInput' satisfies SampleMetaKey;

/** What was typed during one measured repetition (registered in sampleMeta/keys/runKeys.ts). */
export const ConsoleInputMetaSchema = ConsoleInputSchema;
export type ConsoleInputMeta = z.infer<typeof ConsoleInputSchema>;

/** meta.consoleInput of a sample when it says something was typed (malformed: nothing). */
export function consoleInputOf(s: Sample): ConsoleInputMeta | null {
  return metaOf(s.meta, CONSOLE_INPUT_META_KEY) ?? null;
}

/** "3" / "2 and 3" / "1, 4 and 5". */
function listText(items: readonly (string | number)[]): string {
  const all = items.map(String);
  if (all.length <= 1) return all.join('');
  return `${all.slice(0, -1).join(', ')} and ${all[all.length - 1]}`;
}

function whoOf(s: Sample): string {
  const t = targetOf(s);
  if (t === s.platform) return PLATFORM_INFO[s.platform].shortTitle;
  return metaOf(s.meta, 'targetLabel') ?? targetLabelOf(s.platform, t);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function cellFinding(key: string, hit: { sample: Sample; input: ConsoleInputMeta }[]): Finding {
  const first = hit[0]!.sample;
  const reps = hit.map((h) => h.sample.rep).sort((a, b) => a - b);
  const bytes = hit.reduce((n, h) => n + h.input.bytes, 0);
  const what = `${CATALOGUE[first.benchmark].title} on ${whoOf(first)}`;
  const which = `${reps.length === 1 ? 'repetition' : 'repetitions'} ${listText(reps)}`;
  const when = hit
    .map(
      (h) =>
        `repetition ${h.sample.rep}: ${h.input.bytes} byte${h.input.bytes === 1 ? '' : 's'} ` +
        `${seconds(h.input.firstAtMs)}–${seconds(h.input.lastAtMs)} after it started ` +
        `(it took ${seconds(h.sample.durationMs)})`,
    )
    .join('; ');
  return {
    id: `console-input:${key}`,
    severity: 'warn',
    kind: 'diagnostic',
    title: `${what} ${which} had console input: ${reps.length === 1 ? 'its time' : 'their times'} may include it`,
    explanation:
      `Keys were typed into the console while ${reps.length === 1 ? 'this repetition' : 'these repetitions'} ran (${when}). ` +
      'The benchmark may have read them, and echoing them cost the console and the guest or ' +
      'container time that the measurement counts. Run again without typing into the console, ' +
      'or leave these repetitions out when the number matters.',
    numbers: { [`repetitions with input`]: listText(reps), 'bytes typed': bytes },
  };
}

export function consoleInput({ samples }: FindingsInput): Finding[] {
  const byCell = new Map<string, { sample: Sample; input: ConsoleInputMeta }[]>();
  for (const s of samples) {
    const input = consoleInputOf(s);
    if (!input) continue;
    const key = `${targetOf(s)}:${s.benchmark}`;
    byCell.set(key, [...(byCell.get(key) ?? []), { sample: s, input }]);
  }
  return [...byCell.entries()].map(([key, hit]) => cellFinding(key, hit));
}
