/**
 * nginx as a service spec: where the program is (on the host and in a
 * payload), and what its prefix holds (the benchmark's config, the served
 * file, temp folders) for whatever prefix, address and port a platform picks.
 * Platforms start it with session.startService and never name it.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import type { Availability } from '../../../shared/platforms';
import { PAYLOAD_LAYOUT } from '../../payload/types';
import type { ServicePlace, ServiceSpec } from '../../session/service';
import {
  CONFIG_FILE_NAME,
  ERROR_LOG_NAME,
  PID_FILE_NAME,
  SERVED_FILE_NAME,
  TEMP_DIR,
  TEMP_PATH_DIRECTIVES,
  WEB_ROOT_DIR,
  renderNginxConfig,
} from './nginxConfig';

export const NGINX_FIX = 'apt-get install nginx-light';
/** Where distributions put nginx when it is not on a non-root PATH. */
const EXTRA_NGINX_DIRS = ['/usr/sbin', '/usr/local/sbin', '/sbin', '/usr/local/nginx/sbin'];
const VERSION_TIMEOUT_MS = 5_000;

/**
 * Path of the nginx binary, or null. Looks on PATH and in the usual sbin folders (`sbinDirs`,
 * a parameter so that a test can make "not installed" happen on a host that has nginx).
 */
export function locateNginx(
  env: NodeJS.ProcessEnv = process.env,
  sbinDirs: readonly string[] = EXTRA_NGINX_DIRS,
): string | null {
  const dirs = [...(env.PATH ?? '').split(delimiter).filter(Boolean), ...sbinDirs];
  for (const dir of dirs) {
    const candidate = join(dir, 'nginx');
    try {
      accessSync(candidate, constants.X_OK);
      return resolve(candidate);
    } catch {
      /* not here */
    }
  }
  return null;
}

/** Is nginx usable here? Never throws: problems come back as reason + fix. */
export function findNginx(
  env: NodeJS.ProcessEnv = process.env,
  sbinDirs: readonly string[] = EXTRA_NGINX_DIRS,
): Promise<Availability> {
  const path = locateNginx(env, sbinDirs);
  if (path === null) {
    return Promise.resolve({
      available: false,
      reason: 'nginx is not installed (not on PATH or in /usr/sbin)',
      fix: NGINX_FIX,
    });
  }
  return new Promise((done) => {
    execFile(path, ['-v'], { timeout: VERSION_TIMEOUT_MS }, (error, stdout, stderr) => {
      if (error) {
        done({
          available: false,
          reason: `${path} -v failed: ${error.message}`,
          fix: NGINX_FIX,
          details: { path },
        });
        return;
      }
      const version = /nginx\/(\S+)/.exec(`${stderr}${stdout}`)?.[1] ?? 'unknown';
      done({ available: true, details: { path, version } });
    });
  });
}

/** The nginx server of the benchmark, serving a generated file of `fileSize` bytes. */
export function nginxService(fileSize: number, env: NodeJS.ProcessEnv = process.env): ServiceSpec {
  return {
    name: 'nginx',
    program: { locate: () => locateNginx(env), payloadPath: PAYLOAD_LAYOUT.nginx, fix: NGINX_FIX },
    layout(place: ServicePlace) {
      const p = place.prefix.replace(/\/+$/, '');
      const prefixArgs = ['-p', `${p}/`, '-c', `${p}/${CONFIG_FILE_NAME}`];
      return {
        dirs: [
          WEB_ROOT_DIR,
          ...TEMP_PATH_DIRECTIVES.map((d) => `${TEMP_DIR}/${d.replace(/_temp_path$/, '')}`),
        ],
        files: [
          {
            path: CONFIG_FILE_NAME,
            content: renderNginxConfig({
              prefix: p,
              listenAddress: place.listenAddress,
              port: place.port,
              ...(place.asRoot ? { user: 'root' } : {}),
              accessLog: place.logRequests,
            }),
          },
        ],
        generated: { path: `${WEB_ROOT_DIR}/${SERVED_FILE_NAME}`, bytes: fileSize },
        startArgs: [...prefixArgs, '-e', 'stderr'],
        stopArgs: [...prefixArgs, '-s', 'stop'],
        pidFile: PID_FILE_NAME,
        errorLog: ERROR_LOG_NAME,
        urlPath: SERVED_FILE_NAME,
        readyBytes: fileSize,
      };
    },
  };
}
