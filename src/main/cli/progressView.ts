/**
 * Progress on stderr for `benchvisor run`: a cli-progress bar with ETA on a
 * terminal, one line per repetition otherwise (CI logs, pipes).
 */
import cliProgress from 'cli-progress';
import type { LogEvent, ProgressEvent } from '../../shared/run';
import type { Sample } from '../../shared/sample';
import { formatNumber } from '../../shared/format';

export function formatDuration(ms: number | null): string {
  if (ms === null) return '--';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** A repetition's value in the one number format (shared/format.ts). */
const formatValue = formatNumber;

export interface ProgressView {
  progress(e: ProgressEvent): void;
  sample(s: Sample): void;
  log(e: LogEvent): void;
  stop(): void;
}

export function createProgressView(
  stderr: NodeJS.WritableStream & { isTTY?: boolean },
): ProgressView {
  let last: ProgressEvent | null = null;
  if (!stderr.isTTY) {
    return {
      progress: (e) => {
        last = e;
      },
      sample: (s) => {
        const where = last ? `[${last.done}/${last.total}, ETA ${formatDuration(last.etaMs)}]` : '';
        const what =
          s.value === null
            ? `FAILED: ${s.error ?? 'unknown error'}`
            : `${formatValue(s.value)} ${s.unit}`;
        stderr.write(`${where} ${s.platform} ${s.benchmark} rep ${s.rep}: ${what}\n`);
      },
      log: (e) => {
        if (e.level !== 'info') stderr.write(`${e.level}: ${e.message}\n`);
      },
      stop: () => undefined,
    };
  }
  const multi = new cliProgress.MultiBar(
    {
      stream: stderr as NodeJS.WriteStream,
      format: ' {bar} {value}/{total} reps | ETA {etaText} | elapsed {elapsedText} | {current}',
      hideCursor: true,
      clearOnComplete: false,
      barsize: 30,
    },
    cliProgress.Presets.shades_classic,
  );
  const bar = multi.create(1, 0, { etaText: '--', elapsedText: '0s', current: 'starting' });
  return {
    progress: (e) => {
      const current = e.current
        ? `${e.current.platform} ${e.current.benchmark} ${e.current.warmup ? 'warmup' : 'rep'} ${e.current.rep}`
        : '';
      bar.setTotal(Math.max(1, e.total));
      bar.update(e.done, {
        etaText: formatDuration(e.etaMs),
        elapsedText: formatDuration(e.elapsedMs),
        current,
      });
    },
    sample: (s) => {
      if (s.value === null)
        multi.log(
          `${s.platform} ${s.benchmark} rep ${s.rep} FAILED: ${s.error ?? 'unknown error'}\n`,
        );
    },
    log: (e) => {
      if (e.level !== 'info') multi.log(`${e.level}: ${e.message}\n`);
    },
    stop: () => multi.stop(),
  };
}
