/**
 * Copies a finished run home from a host: the host exports it as a bundle (runs:export), the
 * bytes come over the agent in chunks (agent:download) into a private file in the local exports
 * folder, the hardened importer unpacks it into the local runs folder, the host's name and facts
 * are recorded in experiment.json (`host`), and both copies of the bundle are deleted.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { BUNDLE_UPLOAD_MAX_BYTES } from '../../shared/api';
import type { RanOn } from '../../shared/hosts';
import { AppFailure } from '../../shared/result';
import { importBundle } from '../export/bundleReader';
import type { ImportStaging } from '../export/importStaging';
import { RUN_FILES } from '../store/runFiles';
import { readRunJson } from '../store/runReader';
import type { AgentLink } from './agentLink';

export interface FetchTarget {
  runsDir: string;
  /** Where the bundle is kept while it arrives (the local exports folder). */
  exportsDir: string;
  staging?: ImportStaging;
}

export interface FetchedRun {
  runId: string;
  dir: string;
  samples: number;
}

function unwrap<T>(
  r: { ok: true; value: T } | { ok: false; error: { code: never | string; message: string } },
  what: string,
): T {
  if (!r.ok) throw new AppFailure('IO_ERROR', `${what}: ${r.error.message}`);
  return r.value;
}

async function download(
  link: AgentLink,
  name: string,
  declared: number,
  file: string,
): Promise<void> {
  const fh = await open(file, 'wx', 0o600);
  try {
    let offset = 0;
    for (;;) {
      const chunk = unwrap(await link.agentCall('agent:download', { name, offset }), 'download');
      const bytes = Buffer.from(chunk.dataBase64, 'base64');
      if (offset + bytes.length > Math.min(declared, BUNDLE_UPLOAD_MAX_BYTES))
        throw new AppFailure(
          'BUNDLE_INVALID',
          `${link.host.name} sent more bytes than the bundle has`,
        );
      await fh.write(bytes, 0, bytes.length, offset);
      offset += bytes.length;
      if (chunk.eof) break;
      if (bytes.length === 0) throw new AppFailure('IO_ERROR', 'the download stalled');
    }
  } finally {
    await fh.close();
  }
}

/** Records where the run ran in its experiment.json (written atomically). */
export function recordHost(dir: string, ranOn: RanOn): void {
  const path = join(dir, RUN_FILES.experiment);
  const record = readRunJson(path, RUN_FILES.experiment) as Record<string, unknown>;
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ ...record, host: ranOn }, null, 2) + '\n');
  renameSync(tmp, path);
}

/** Copies the host's run `remoteRunId` into the local runs folder. */
export async function fetchRun(
  link: AgentLink,
  remoteRunId: string,
  target: FetchTarget,
): Promise<FetchedRun> {
  const exported = unwrap(
    await link.call('runs:export', { runId: remoteRunId }),
    'export at the host',
  );
  mkdirSync(target.exportsDir, { recursive: true });
  const file = join(
    target.exportsDir,
    `.from-${link.host.name}-${process.pid}-${randomBytes(4).toString('hex')}.zip`,
  );
  try {
    await download(link, exported.downloadName, exported.bytes, file);
    await link.agentCall('agent:discard', { name: exported.downloadName });
    const facts = await link.agentCall('agent:facts', {});
    const imported = await importBundle(file, {
      runsDir: target.runsDir,
      ...(target.staging ? { staging: target.staging } : {}),
    });
    recordHost(imported.dir, {
      name: link.host.name,
      destination: link.host.destination,
      remoteRunId,
      ...(facts.ok ? { facts: facts.value } : {}),
    });
    return { runId: imported.runId, dir: imported.dir, samples: imported.samples };
  } finally {
    rmSync(file, { force: true });
  }
}
