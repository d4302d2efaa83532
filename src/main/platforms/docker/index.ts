/** The docker platform (issue 5). */
export { createDockerPlatform, checkShape, DOCKER_CAPABILITIES } from './dockerPlatform';
export type { DockerPlatform, DockerPlatformDeps, DockerSweepOptions } from './dockerPlatform';
export { sweepOrphans, listOwned } from './sweepOrphans';
export type { SweepOptions, SweepReport } from './sweepOrphans';
export { parseDockerHost, createDockerClient, DEFAULT_DOCKER_SOCKET } from './dockerClient';
export { probeDocker, START_DAEMON_FIX } from './probe';
export { ensurePayloadImage, imageTag, IMAGE_REPOSITORY } from './imageBuilder';
export { containerSpec, containerName, volumeName, DISK_TARGET } from './containerSpec';
export { DockerSession } from './dockerSession';
