/** Meta keys a Docker container's session records. */
import { z } from 'zod';
import { metaKey } from '../define';

export const CONTAINER_KEYS = {
  containerId: metaKey(z.string(), ['docker'], "the container's short id"),
  volume: metaKey(z.string().nullable(), ['docker'], "the container's disk volume, null when none"),
  diskLayer: metaKey(
    z.string(),
    ['docker'],
    "where the container's disk target is: its own layer or a volume",
  ),
  diskTarget: metaKey(z.string(), ['docker'], 'the disk target path inside the container'),
  dockerVersion: metaKey(z.string(), ['docker'], "the Docker daemon's version"),
  storageDriver: metaKey(z.string(), ['docker'], "the daemon's storage driver"),
  cgroupVersion: metaKey(z.string(), ['docker'], "the daemon's cgroup version"),
  imageId: metaKey(z.string(), ['docker'], 'the payload image id'),
  image: metaKey(z.string(), ['docker'], 'the payload image tag'),
  imageBuilt: metaKey(z.boolean(), ['docker'], 'the image was built for this run (not reused)'),
  imageMs: metaKey(z.number(), ['docker'], 'ms building or finding the image'),
  containerStartMs: metaKey(z.number(), ['docker'], 'ms creating and starting the container'),
};
