import { describe, expect, it } from 'vitest';
import { hostServiceOwner, runDirOfProcess } from '../../src/main/platforms/native/orphans';

describe('native orphans: whose process is it', () => {
  it("finds the run folder of a run's service from its native scratch argument", () => {
    expect(
      runDirOfProcess('nginx: master process /usr/sbin/nginx -p /d/runs/r1/scratch/native/svc/'),
    ).toBe('/d/runs/r1');
    expect(
      runDirOfProcess('/usr/sbin/nginx -p /d/runs/r2/scratch/native.control/svc/ -g daemon off;'),
    ).toBe('/d/runs/r2');
    expect(runDirOfProcess('/usr/sbin/nginx -p /srv/www/')).toBeNull();
  });

  it("finds the engine pid and prefix of the load client's ceiling nginx", () => {
    expect(
      hostServiceOwner(
        'nginx: master process /usr/sbin/nginx -p /tmp/benchvisor-ceiling-4242-AbC123/ -c /tmp/benchvisor-ceiling-4242-AbC123/nginx.conf',
      ),
    ).toEqual({ pid: 4242, dir: '/tmp/benchvisor-ceiling-4242-AbC123' });
    expect(hostServiceOwner('/usr/sbin/nginx -p /tmp/benchvisor-ceiling-xyz/')).toBeNull();
  });
});
