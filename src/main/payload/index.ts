/** The payload shared by the Docker image and the QEMU guest. */
export * from './types';
export {
  collectPayload,
  dedupePayload,
  withParentDirectories,
  benchPath,
  BENCH_BINARIES,
  DEFAULT_NGINX_PATH,
} from './collectPayload';
export type { CollectOptions } from './collectPayload';
export { payloadHash, shortPayloadHash, SHORT_HASH_LENGTH } from './payloadHash';
export { parseLddOutput, sharedLibrariesOf } from './sharedLibraries';
export { busyboxFiles, parseAppletList, DEFAULT_BUSYBOX_PATH } from './busybox';
