/**
 * The bundle of issue #9 item 2: samples.ndjson made of 140 M newlines, deflated
 * to ≈ 500 KB (≈ 280×, under the importer's 1000× ratio limit). Half is
 * deflated normally (≈ 1000×), half with fixed Huffman codes (≈ 160×); the two
 * sync-flushed halves form one valid deflate stream.
 */
import { constants, crc32, deflateRawSync } from 'node:zlib';
import { craftZip } from './zipCraft';

export const BOMB_NEWLINES = 140_000_000;

export function newlineBombZip(runId: string): Buffer {
  const half = Buffer.alloc(BOMB_NEWLINES / 2, 0x0a);
  const body = Buffer.concat([
    deflateRawSync(half, { finishFlush: constants.Z_SYNC_FLUSH }),
    deflateRawSync(half, { strategy: constants.Z_FIXED, finishFlush: constants.Z_SYNC_FLUSH }),
    Buffer.from([0x03, 0x00]), // final empty block
  ]);
  const crc = crc32(half, crc32(half));
  const experiment = {
    runId,
    name: 'newline bomb',
    startedAt: '2024-01-01T00:00:00.000Z',
    status: 'completed',
    config: { platforms: ['native'], benchmarks: ['syscall'] },
  };
  return craftZip([
    { name: 'experiment.json', data: JSON.stringify(experiment) },
    { name: 'samples.ndjson', deflated: { body, size: BOMB_NEWLINES, crc } },
  ]);
}
