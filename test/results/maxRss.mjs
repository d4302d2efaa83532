// Preload for CLI child processes in tests: writes the process's peak RSS (KiB) to
// $BV_MAXRSS_FILE when it exits, so a test can state how much memory a command needed.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  const file = process.env.BV_MAXRSS_FILE;
  if (file) writeFileSync(file, String(process.resourceUsage().maxRSS));
});
