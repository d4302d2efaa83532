/**
 * Parses the one machine-readable line a benchmark prints,
 *   @@BENCHVISOR {"benchmark":"linpack","metrics":{...},"params":{...}}
 * out of whatever console text came with it: a pty's \r\n line ends, progress
 * lines from stderr interleaved, terminal escape sequences.
 */
import { z } from 'zod';
import { BENCHMARK_IDS, type BenchmarkId } from '../../shared/catalogue';
import { describeZodError, err, ok, type Result } from '../../shared/result';

/** The marker that starts a result line (followed by one space and the JSON object). */
export const RESULT_MARKER = '@@BENCHVISOR';
/**
 * Environment variable naming a file that receives a copy of the result line
 * (bench_common.h). Platforms whose console is a terminal read the copy when
 * the terminal lost the line (native/resultCopy.ts, docker/dockerSession.ts).
 */
export const RESULT_FILE_ENV = 'BENCHVISOR_RESULT_FILE';

/**
 * The output to parse: the terminal output as is when it holds a result line,
 * else the terminal output followed by the copied line (recovered: true).
 * `copy` is the content of the RESULT_FILE_ENV file, or null when there is none.
 */
export function withResultCopy(
  terminalOutput: string,
  copy: string | null,
): { stdout: string; recovered: boolean } {
  if (terminalOutput.includes(RESULT_MARKER) || !copy?.includes(RESULT_MARKER)) {
    return { stdout: terminalOutput, recovered: false };
  }
  const separator = terminalOutput === '' || terminalOutput.endsWith('\n') ? '' : '\n';
  return { stdout: `${terminalOutput}${separator}${copy}`, recovered: true };
}

/** How much of a malformed line is quoted back in the error message. */
const QUOTE_LIMIT = 200;

export const ResultLineSchema = z.strictObject({
  benchmark: z.enum(BENCHMARK_IDS),
  /** Every metric must be a finite number (the C side prints null for NaN/inf). */
  metrics: z.record(z.string(), z.number()),
  /** The parameters the benchmark actually used, echoed back. */
  params: z.record(z.string(), z.union([z.number(), z.string()])),
});
export type ResultLine = z.infer<typeof ResultLineSchema>;

/** Terminal escape sequences (colours, cursor moves) a console may add. */
// eslint-disable-next-line no-control-regex
const ANSI_ESCAPE = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

function quote(text: string): string {
  return text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT)}…` : text;
}

/** Parses the JSON after the marker; tolerates trailing junk after the closing brace. */
function parseJsonObject(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (first) {
    const end = text.lastIndexOf('}');
    if (end > 0) {
      try {
        return JSON.parse(text.slice(0, end + 1));
      } catch {
        /* report the first problem */
      }
    }
    throw first;
  }
}

/**
 * Finds and validates the result line in `output`. When `expected` is given,
 * a line from another benchmark is an error too.
 */
export function parseResultLine(output: string, expected?: BenchmarkId): Result<ResultLine> {
  const candidates = output
    .replace(ANSI_ESCAPE, '')
    .split(/\r\n|\r|\n/)
    .map((line) => {
      const at = line.indexOf(RESULT_MARKER);
      return at < 0 ? null : line.slice(at + RESULT_MARKER.length).trim();
    })
    .filter((rest): rest is string => rest !== null);
  const who = expected ?? 'the benchmark';
  if (candidates.length === 0) {
    return err('BENCHMARK_FAILED', `${who} printed no ${RESULT_MARKER} result line`);
  }
  if (candidates.length > 1) {
    return err(
      'BENCHMARK_FAILED',
      `${who} printed ${candidates.length} ${RESULT_MARKER} result lines; expected one`,
    );
  }
  const text = candidates[0] ?? '';
  let json: unknown;
  try {
    json = parseJsonObject(text);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return err(
      'BENCHMARK_FAILED',
      `malformed ${RESULT_MARKER} line (not JSON: ${why}): ${quote(text)}`,
    );
  }
  const parsed = ResultLineSchema.safeParse(json);
  if (!parsed.success) {
    return err(
      'BENCHMARK_FAILED',
      `malformed ${RESULT_MARKER} line: ${describeZodError(parsed.error).replace(/\n/g, '; ')}`,
    );
  }
  if (expected !== undefined && parsed.data.benchmark !== expected) {
    return err(
      'BENCHMARK_FAILED',
      `expected a result from ${expected} but got one from ${parsed.data.benchmark}`,
    );
  }
  return ok(parsed.data);
}
