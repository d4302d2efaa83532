/* syscall_names.h: x86-64 Linux system call names, for naming an unsupported call on the console. */
#ifndef LOS_SYSCALL_NAMES_H
#define LOS_SYSCALL_NAMES_H

const char *los_syscall_name(unsigned long nr);

#endif
