/* files.h: file descriptors: the console (0, 1, 2) and the disk under one path. */
#ifndef LOS_FILES_H
#define LOS_FILES_H

#include "los.h"

#define LOS_DEFAULT_DISK_PATH "/dev/vda"

void los_files_init(const char *disk_path);
long los_sys_open(const char *path, int flags);
long los_sys_close(int fd);
long los_sys_read(int fd, void *buf, uint64_t len);
long los_sys_write(int fd, const void *buf, uint64_t len);
long los_sys_pread(int fd, void *buf, uint64_t len, int64_t off);
long los_sys_pwrite(int fd, const void *buf, uint64_t len, int64_t off);
long los_sys_readv(int fd, const void *iov, int iovcnt);
long los_sys_writev(int fd, const void *iov, int iovcnt);
long los_sys_lseek(int fd, int64_t off, int whence);
long los_sys_fsync(int fd);
long los_sys_fstat(int fd, void *st);
long los_sys_stat(const char *path, void *st);
long los_sys_fcntl(int fd, int cmd, uint64_t arg);
long los_sys_ioctl(int fd, unsigned long req, void *arg);

#endif
