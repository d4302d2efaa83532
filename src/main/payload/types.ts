/**
 * The payload: every file a container image or a guest initramfs needs to run
 * the benchmark suite (static busybox, the benchmark binaries, nginx with its
 * shared libraries, a few /etc files and empty directories). One list, used by
 * both the Docker image builder and the QEMU initramfs writer.
 */

/** Permission bits for executables, regular files and directories. */
export const MODE_EXECUTABLE = 0o755;
export const MODE_REGULAR = 0o644;
export const MODE_DIRECTORY = 0o755;
/** World-writable with the sticky bit, like /tmp everywhere. */
export const MODE_STICKY_DIRECTORY = 0o1777;

/** A file copied from the host (symlinks followed: the content lands at `dest`). */
export interface PayloadHostFile {
  kind: 'file';
  /** Absolute path inside the image/guest, e.g. "/usr/sbin/nginx". */
  dest: string;
  mode: number;
  /** Absolute path on the host. */
  source: string;
}

/** A file whose content is given inline (small text files such as /etc/passwd). */
export interface PayloadInlineFile {
  kind: 'inline';
  dest: string;
  mode: number;
  content: string;
}

/** A symbolic link (busybox applets: /bin/sh -> /bin/busybox). */
export interface PayloadSymlink {
  kind: 'symlink';
  dest: string;
  /** What the link points at (absolute inside the image/guest). */
  target: string;
}

/** An empty directory that must exist (/tmp, /proc, /var/lib/nginx ...). */
export interface PayloadDirectory {
  kind: 'dir';
  dest: string;
  mode: number;
}

export type PayloadFile = PayloadHostFile | PayloadInlineFile | PayloadSymlink | PayloadDirectory;

/** Where well-known things live inside the image/guest. */
export const PAYLOAD_LAYOUT = {
  busybox: '/bin/busybox',
  /** Benchmark binaries: /bench/<name>. */
  benchDir: '/bench',
  nginx: '/usr/sbin/nginx',
  /** Scratch directory for diskwrite when no dedicated disk/volume is attached. */
  dataDir: '/data',
  tmpDir: '/tmp',
} as const;
