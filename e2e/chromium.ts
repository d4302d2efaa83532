/**
 * Debian's Chromium as every browser test and benchmark launches it: never a downloaded
 * browser, and no background traffic (this machine's network is closed, and Chromium's
 * background services would only fail their connections).
 */
export const CHROMIUM_PATH = process.env['BENCHVISOR_CHROMIUM'] ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
