/**
 * Starts web mode once for the e2e run; the URL with its token reaches the tests through the
 * environment. The returned function stops the server (and removes its temp folders).
 */
import { startServe } from './serveProcess';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const serve = await startServe();
  process.env['BENCHVISOR_E2E_URL'] = serve.url;
  process.env['BENCHVISOR_E2E_RUNS'] = serve.runsDir;
  process.env['BENCHVISOR_E2E_TMP'] = serve.tmpDir;
  return () => serve.stop();
}
