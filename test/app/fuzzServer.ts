/**
 * The web server under fuzz, as a process of its own (run with `node --import tsx`): it gets
 * its own event loop (and core), and a crash is what it would be in real life, the process
 * ending. Prints `listening <port>` once ready; SIGTERM closes it.
 * Usage: fuzzServer.ts <staticDir> <token>
 */
import { join } from 'node:path';
import { ApiService } from '../../src/main/api/service';
import { startWebServer } from '../../src/main/web/server';
import { fakeDeps } from './fakeDeps';

const [staticDir, token] = process.argv.slice(2);
if (!staticDir || !token) throw new Error('usage: fuzzServer.ts <staticDir> <token>');
const server = await startWebServer({
  service: new ApiService(fakeDeps()),
  staticDir,
  port: 0,
  token,
  downloadsDir: join(staticDir, 'exports'),
});
process.stdout.write(`listening ${server.port}\n`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
