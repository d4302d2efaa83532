/* errno_values.h: the Linux errno numbers the library OS returns (negated, as the kernel does). */
#ifndef LOS_ERRNO_VALUES_H
#define LOS_ERRNO_VALUES_H

#define LOS_EPERM 1
#define LOS_ENOENT 2
#define LOS_EIO 5
#define LOS_EBADF 9
#define LOS_ENOMEM 12
#define LOS_EFAULT 14
#define LOS_EEXIST 17
#define LOS_ENODEV 19
#define LOS_EISDIR 21
#define LOS_EINVAL 22
#define LOS_EMFILE 24
#define LOS_ENOTTY 25
#define LOS_ENOSPC 28
#define LOS_ESPIPE 29
#define LOS_EROFS 30
#define LOS_ENOSYS 38

#endif
