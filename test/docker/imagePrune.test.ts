/** Old payload images are removed after a new one is built; one in use by a container is kept. */
import type Dockerode from 'dockerode';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensurePayloadImage, imageTag } from '../../src/main/platforms/docker/imageBuilder';
import type { PayloadFile } from '../../src/main/payload';
import { requireDaemon, SKIP_DOCKER, skipWhenDockerOptedOut } from './dockerEnv';

const tinyPayload = (n: number): PayloadFile[] => [
  { kind: 'inline', dest: '/hello.txt', mode: 0o644, content: `hello ${n}\n` },
];
/**
 * A repository of this test's own (per process: two checkouts' suites may share one daemon), so
 * real payload images used by other tests, and another run of this file, stay untouched.
 */
const REPO = `benchvisor-payload-prune-test-${process.pid}`;
const HASHES = ['0001', '0002', '0003'];
const tag = (h: string): string => imageTag(h, REPO);

async function tagExists(docker: Dockerode, tag: string): Promise<boolean> {
  try {
    await docker.getImage(tag).inspect();
    return true;
  } catch {
    return false;
  }
}

describe('payload image pruning (real daemon)', () => {
  let docker: Dockerode;
  let container: Dockerode.Container | null = null;
  beforeEach(skipWhenDockerOptedOut);
  beforeAll(async () => {
    if (SKIP_DOCKER) return;
    docker = await requireDaemon();
  });
  afterAll(async () => {
    if (SKIP_DOCKER) return;
    await container?.remove({ force: true }).catch(() => undefined);
    for (const h of HASHES)
      await docker
        .getImage(tag(h))
        .remove()
        .catch(() => undefined);
    // Nothing of this file's own repository is left (other files' images are not looked at).
    const left = await docker.listImages({ filters: { reference: [`${REPO}:*`] } });
    expect(left.map((i) => i.RepoTags)).toEqual([]);
  });

  it('building a new image removes the older ones, except one a container still uses', async () => {
    const [h1, h2, h3] = HASHES as [string, string, string];
    await ensurePayloadImage(docker, tinyPayload(1), h1, undefined, REPO);
    await ensurePayloadImage(docker, tinyPayload(2), h2, undefined, REPO);
    // The second image is in use by a (stopped) container: the daemon refuses to remove it.
    container = await docker.createContainer({ Image: tag(h2), Cmd: ['/none'] });
    const third = await ensurePayloadImage(docker, tinyPayload(3), h3, undefined, REPO);
    expect(third.built).toBe(true);
    expect(await tagExists(docker, tag(h1))).toBe(false);
    expect(await tagExists(docker, tag(h2))).toBe(true);
    expect(await tagExists(docker, tag(h3))).toBe(true);
  });
});
