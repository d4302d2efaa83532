/**
 * Builds the payload image locally from a tar context and tags it
 * benchvisor-payload:<payload hash>. An image with that tag is reused; nothing
 * is ever pulled (the Dockerfile starts FROM scratch).
 */
import type Dockerode from 'dockerode';
import { AppFailure } from '../../../shared/result';
import type { PayloadFile } from '../../payload';
import { buildContextStream } from './buildContext';
import { LABEL_OWNER } from './labels';

export const IMAGE_REPOSITORY = 'benchvisor-payload';

export interface BuiltImage {
  tag: string;
  imageId: string;
  /** False when an image with this tag already existed. */
  built: boolean;
}

export function imageTag(hash: string, repository: string = IMAGE_REPOSITORY): string {
  return `${repository}:${hash}`;
}

async function existingImageId(docker: Dockerode, tag: string): Promise<string | null> {
  try {
    return (await docker.getImage(tag).inspect()).Id;
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return null;
    throw e;
  }
}

interface BuildEvent {
  stream?: string;
  error?: string;
  errorDetail?: { message?: string };
}

/**
 * Ensures the image exists; `log` receives the build output lines. After a build, older
 * images of the same repository are pruned (tests use a repository of their own).
 */
export async function ensurePayloadImage(
  docker: Dockerode,
  files: readonly PayloadFile[],
  hash: string,
  log: (line: string) => void = () => {},
  repository: string = IMAGE_REPOSITORY,
): Promise<BuiltImage> {
  const tag = imageTag(hash, repository);
  const found = await existingImageId(docker, tag);
  if (found !== null) return { tag, imageId: found, built: false };

  const context = buildContextStream(files, hash) as unknown as NodeJS.ReadableStream;
  const options: Dockerode.ImageBuildOptions = {
    t: tag,
    rm: true,
    forcerm: true,
    labels: { [LABEL_OWNER]: '1' },
  };
  const stream: NodeJS.ReadableStream = await docker.buildImage(context, options);
  const events = await new Promise<BuildEvent[]>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (err: Error | null, out: BuildEvent[]) => (err ? reject(err) : resolve(out)),
      (ev: BuildEvent) => {
        if (ev.stream && ev.stream.trim() !== '') log(ev.stream.trimEnd());
      },
    );
  });
  const failed = events.find((e) => e.error !== undefined || e.errorDetail !== undefined);
  if (failed) {
    throw new AppFailure(
      'INTERNAL',
      `docker could not build ${tag}: ${failed.error ?? failed.errorDetail?.message ?? 'unknown error'}`,
    );
  }
  const imageId = await existingImageId(docker, tag);
  if (imageId === null)
    throw new AppFailure(
      'INTERNAL',
      `docker reported a successful build but ${tag} does not exist`,
    );
  await pruneOldPayloadImages(docker, tag, repository);
  return { tag, imageId, built: true };
}

/**
 * Removes older benchvisor-payload images (every payload change builds a new one). Never
 * forced: an image a container still uses is refused by the daemon and simply kept.
 * Returns the tags removed.
 */
export async function pruneOldPayloadImages(
  docker: Dockerode,
  keepTag: string,
  repository: string = IMAGE_REPOSITORY,
): Promise<string[]> {
  const removed: string[] = [];
  let images: Dockerode.ImageInfo[];
  try {
    images = await docker.listImages({ filters: { label: [`${LABEL_OWNER}=1`] } });
  } catch {
    return removed;
  }
  for (const img of images) {
    for (const tag of img.RepoTags ?? []) {
      if (!tag.startsWith(`${repository}:`) || tag === keepTag) continue;
      try {
        await docker.getImage(tag).remove();
        removed.push(tag);
      } catch {
        /* in use by a container, or removed meanwhile: keep going */
      }
    }
  }
  return removed;
}
