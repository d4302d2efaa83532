/**
 * The line every repetition's console output starts with, on every platform: which session ran
 * what, with its exact arguments ("# benchvisor (docker): /opt/benchvisor/bin/… --size 200").
 * One format, so a person reading any console (live or from the history) finds where each
 * repetition begins.
 */

export function commandHeader(where: string, argv: readonly string[]): string {
  return `\r\n# benchvisor (${where}): ${argv.join(' ')}\r\n`;
}
