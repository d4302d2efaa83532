/**
 * The few /etc files and empty directories a minimal userland needs: nginx
 * looks up "nobody", busybox tools read /etc/passwd, nginx creates its temp
 * folders under /var/lib/nginx and needs /run and /var/log/nginx to exist.
 */
import { MODE_DIRECTORY, MODE_REGULAR, MODE_STICKY_DIRECTORY, PAYLOAD_LAYOUT } from './types';
import type { PayloadFile } from './types';

/** root plus the unprivileged user nginx workers switch to. */
const PASSWD = [
  'root:x:0:0:root:/root:/bin/sh',
  'nobody:x:65534:65534:nobody:/var/empty:/bin/false',
  '',
].join('\n');
const GROUP = ['root:x:0:', 'nogroup:x:65534:', 'nobody:x:65534:', ''].join('\n');

/** Mount points and working folders (mode 0755 unless listed as sticky). */
const DIRECTORIES = [
  '/bin',
  '/sbin',
  '/usr/bin',
  '/usr/sbin',
  '/etc',
  '/etc/nginx',
  '/root',
  '/proc',
  '/sys',
  '/dev',
  '/run',
  '/var',
  '/var/empty',
  '/var/lib',
  '/var/lib/nginx',
  '/var/log',
  '/var/log/nginx',
  '/var/www',
  PAYLOAD_LAYOUT.benchDir,
  PAYLOAD_LAYOUT.dataDir,
];
const STICKY_DIRECTORIES = [PAYLOAD_LAYOUT.tmpDir, '/var/tmp'];

export function systemFiles(): PayloadFile[] {
  return [
    ...DIRECTORIES.map((dest): PayloadFile => ({ kind: 'dir', dest, mode: MODE_DIRECTORY })),
    ...STICKY_DIRECTORIES.map((dest): PayloadFile => ({
      kind: 'dir',
      dest,
      mode: MODE_STICKY_DIRECTORY,
    })),
    { kind: 'inline', dest: '/etc/passwd', mode: MODE_REGULAR, content: PASSWD },
    { kind: 'inline', dest: '/etc/group', mode: MODE_REGULAR, content: GROUP },
    { kind: 'inline', dest: '/etc/hostname', mode: MODE_REGULAR, content: 'benchvisor\n' },
  ];
}
