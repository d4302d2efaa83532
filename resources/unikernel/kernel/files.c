/*
 * files.c: the library OS has no file system. Descriptors 0, 1 and 2 are the
 * serial console; the one path that opens is the disk (LOS_DEFAULT_DISK_PATH
 * unless the kernel command line says disk=PATH), a block device of the size
 * QEMU gives the virtio-blk drive, read and written at byte offsets.
 * Everything else is ENOENT. O_DIRECT is accepted: every write goes to the
 * device before write() returns (there is no page cache to bypass), straight
 * from the caller's buffer where it is sector aligned.
 */
#include "files.h"

#include "errno_values.h"
#include "virtio_blk.h"

#define MAX_FDS 16
#define O_ACCMODE 03
#define O_WRONLY 01
#define O_RDONLY 0
#define O_CREAT 0100
#define O_EXCL 0200
#define O_DIRECTORY 0200000
#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define F_SETFL_CHANGEABLE (02000 | 040000 | 0400000 | 04000) /* O_APPEND O_DIRECT O_NOATIME O_NONBLOCK */
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define TIOCGWINSZ 0x5413
#define BLKGETSIZE64 0x80081272UL
#define S_IFCHR 0020000
#define S_IFBLK 0060000
#define CONSOLE_ROWS 24
#define CONSOLE_COLS 80
#define DISK_MAJOR 254  /* virtblk's major on Linux, for familiarity */
#define SERIAL_MAJOR 4  /* ttyS0 */
#define SERIAL_MINOR 64

enum fd_kind { FD_FREE, FD_CONSOLE, FD_DISK };
struct open_file {
  enum fd_kind kind;
  int flags;
  uint64_t pos;
};
struct iovec_k {
  void *base;
  uint64_t len;
};
/* Linux's struct stat on x86-64. */
struct stat_k {
  uint64_t dev, ino, nlink;
  uint32_t mode, uid, gid, pad0;
  uint64_t rdev;
  int64_t size, blksize, blocks;
  uint64_t times[6];
  int64_t reserved[3];
};

static struct open_file files[MAX_FDS];
static const char *disk_path = LOS_DEFAULT_DISK_PATH;
static uint8_t bounce[LOS_SECTOR_SIZE] __attribute__((aligned(LOS_SECTOR_SIZE)));

void los_files_init(const char *path) {
  if (path && *path) disk_path = path;
  for (int fd = 0; fd < 3; fd++) files[fd] = (struct open_file){FD_CONSOLE, fd == 0 ? O_RDONLY : O_WRONLY, 0};
}

static struct open_file *lookup(int fd) {
  return fd >= 0 && fd < MAX_FDS && files[fd].kind != FD_FREE ? &files[fd] : 0;
}

long los_sys_open(const char *path, int flags) {
  if (!path) return -LOS_EFAULT;
  if (los_strcmp(path, disk_path) != 0 || !los_blk_present()) {
    los_printf(LOS_TAG "open(\"%s\"): no such file (the only file is the disk, %s, %s)\n", path, disk_path,
               los_blk_present() ? "attached" : "not attached");
    return -LOS_ENOENT;
  }
  if (flags & O_DIRECTORY) return -LOS_EINVAL;
  if ((flags & O_CREAT) && (flags & O_EXCL)) return -LOS_EEXIST;
  for (int fd = 3; fd < MAX_FDS; fd++) {
    if (files[fd].kind == FD_FREE) {
      files[fd] = (struct open_file){FD_DISK, flags, 0}; /* O_TRUNC means nothing for a block device */
      return fd;
    }
  }
  return -LOS_EMFILE;
}

long los_sys_close(int fd) {
  struct open_file *f = lookup(fd);
  if (!f) return -LOS_EBADF;
  if (f->kind == FD_DISK) f->kind = FD_FREE; /* the console stays: closing stdout is a no-op */
  return 0;
}

static uint64_t disk_bytes(void) { return los_blk_sectors() * LOS_SECTOR_SIZE; }

/* Reads or writes [pos, pos+len) of the disk; partial sectors go through a bounce sector. */
static long disk_io(int write, uint64_t pos, uint8_t *buf, uint64_t len) {
  uint64_t size = disk_bytes();
  if (pos >= size) return write && len ? -LOS_ENOSPC : 0;
  if (len > size - pos) len = size - pos;
  uint64_t done = 0;
  while (done < len) {
    uint64_t at = pos + done, sector = at / LOS_SECTOR_SIZE, in_sector = at % LOS_SECTOR_SIZE;
    uint64_t left = len - done;
    int r;
    if (in_sector == 0 && left >= LOS_SECTOR_SIZE) {
      uint64_t whole = left - left % LOS_SECTOR_SIZE;
      r = los_blk_rw(write, sector, buf + done, whole);
      if (r) return done ? (long)done : r;
      done += whole;
      continue;
    }
    uint64_t part = LOS_SECTOR_SIZE - in_sector < left ? LOS_SECTOR_SIZE - in_sector : left;
    r = los_blk_rw(0, sector, bounce, LOS_SECTOR_SIZE);
    if (!r && write) {
      los_memcpy(bounce + in_sector, buf + done, part);
      r = los_blk_rw(1, sector, bounce, LOS_SECTOR_SIZE);
    } else if (!r) {
      los_memcpy(buf + done, bounce + in_sector, part);
    }
    if (r) return done ? (long)done : r;
    done += part;
  }
  return (long)done;
}

static int can(const struct open_file *f, int write) {
  int mode = f->flags & O_ACCMODE;
  return write ? mode != O_RDONLY : mode != O_WRONLY;
}

long los_sys_write(int fd, const void *buf, uint64_t len) {
  struct open_file *f = lookup(fd);
  if (!f || !can(f, 1)) return -LOS_EBADF;
  if (f->kind == FD_CONSOLE) {
    los_console_write(buf, len);
    return (long)len;
  }
  long n = disk_io(1, f->pos, (uint8_t *)buf, len);
  if (n > 0) f->pos += (uint64_t)n;
  return n;
}

long los_sys_read(int fd, void *buf, uint64_t len) {
  struct open_file *f = lookup(fd);
  if (!f || !can(f, 0)) return -LOS_EBADF;
  if (f->kind == FD_CONSOLE) return 0; /* no keyboard input: end of file */
  long n = disk_io(0, f->pos, buf, len);
  if (n > 0) f->pos += (uint64_t)n;
  return n;
}

long los_sys_pwrite(int fd, const void *buf, uint64_t len, int64_t off) {
  struct open_file *f = lookup(fd);
  if (!f || !can(f, 1)) return -LOS_EBADF;
  if (f->kind != FD_DISK) return -LOS_ESPIPE;
  return off < 0 ? -LOS_EINVAL : disk_io(1, (uint64_t)off, (uint8_t *)buf, len);
}

long los_sys_pread(int fd, void *buf, uint64_t len, int64_t off) {
  struct open_file *f = lookup(fd);
  if (!f || !can(f, 0)) return -LOS_EBADF;
  if (f->kind != FD_DISK) return -LOS_ESPIPE;
  return off < 0 ? -LOS_EINVAL : disk_io(0, (uint64_t)off, buf, len);
}

static long vector_io(int write, int fd, const struct iovec_k *iov, int iovcnt) {
  if (iovcnt < 0 || iovcnt > 1024) return -LOS_EINVAL;
  long total = 0;
  for (int i = 0; i < iovcnt; i++) {
    if (iov[i].len == 0) continue;
    long n = write ? los_sys_write(fd, iov[i].base, iov[i].len) : los_sys_read(fd, iov[i].base, iov[i].len);
    if (n < 0) return total ? total : n;
    total += n;
    if ((uint64_t)n < iov[i].len) break;
  }
  return total;
}

long los_sys_writev(int fd, const void *iov, int iovcnt) { return vector_io(1, fd, iov, iovcnt); }
long los_sys_readv(int fd, const void *iov, int iovcnt) { return vector_io(0, fd, iov, iovcnt); }

long los_sys_lseek(int fd, int64_t off, int whence) {
  struct open_file *f = lookup(fd);
  if (!f) return -LOS_EBADF;
  if (f->kind != FD_DISK) return -LOS_ESPIPE;
  int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (int64_t)f->pos : (int64_t)disk_bytes();
  if (whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END) return -LOS_EINVAL;
  if (base + off < 0) return -LOS_EINVAL;
  f->pos = (uint64_t)(base + off);
  return (long)f->pos;
}

long los_sys_fsync(int fd) {
  struct open_file *f = lookup(fd);
  if (!f) return -LOS_EBADF;
  return f->kind == FD_DISK ? los_blk_flush() : 0;
}

static void fill_stat(enum fd_kind kind, struct stat_k *st) {
  los_memset(st, 0, sizeof *st);
  st->nlink = 1;
  st->blksize = 4096;
  if (kind == FD_DISK) {
    st->mode = S_IFBLK | 0660;
    st->rdev = (uint64_t)DISK_MAJOR << 8;
    st->ino = 2;
  } else {
    st->mode = S_IFCHR | 0620;
    st->rdev = (uint64_t)SERIAL_MAJOR << 8 | SERIAL_MINOR;
    st->ino = 1;
  }
}

long los_sys_fstat(int fd, void *st) {
  struct open_file *f = lookup(fd);
  if (!f) return -LOS_EBADF;
  fill_stat(f->kind, st);
  return 0;
}

long los_sys_stat(const char *path, void *st) {
  if (!path) return -LOS_EFAULT;
  if (los_strcmp(path, disk_path) != 0 || !los_blk_present()) return -LOS_ENOENT;
  fill_stat(FD_DISK, st);
  return 0;
}

long los_sys_fcntl(int fd, int cmd, uint64_t arg) {
  struct open_file *f = lookup(fd);
  if (!f) return -LOS_EBADF;
  switch (cmd) {
    case F_GETFD: return 0;
    case F_SETFD: return 0;
    case F_GETFL: return f->flags;
    case F_SETFL:
      f->flags = (f->flags & ~F_SETFL_CHANGEABLE) | ((int)arg & F_SETFL_CHANGEABLE);
      return 0;
    case F_DUPFD:
    default: return -LOS_EINVAL;
  }
}

long los_sys_ioctl(int fd, unsigned long req, void *arg) {
  struct open_file *f = lookup(fd);
  if (!f) return -LOS_EBADF;
  if (f->kind == FD_CONSOLE && req == TIOCGWINSZ) {
    uint16_t *ws = arg; /* rows, cols, xpixel, ypixel */
    ws[0] = CONSOLE_ROWS, ws[1] = CONSOLE_COLS, ws[2] = ws[3] = 0;
    return 0;
  }
  if (f->kind == FD_DISK && req == BLKGETSIZE64) {
    *(uint64_t *)arg = disk_bytes();
    return 0;
  }
  return -LOS_ENOTTY;
}
