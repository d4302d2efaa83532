/* stack.h: the initial process stack musl's _start expects (pure logic). */
#ifndef LOS_STACK_H
#define LOS_STACK_H

#include <stdint.h>

/* Auxiliary vector keys (Linux's <elf.h>). */
#define LOS_AT_NULL 0
#define LOS_AT_PHDR 3
#define LOS_AT_PHENT 4
#define LOS_AT_PHNUM 5
#define LOS_AT_PAGESZ 6
#define LOS_AT_ENTRY 9
#define LOS_AT_UID 11
#define LOS_AT_EUID 12
#define LOS_AT_GID 13
#define LOS_AT_EGID 14
#define LOS_AT_SECURE 23
#define LOS_AT_RANDOM 25
#define LOS_AT_EXECFN 31

/*
 * Lays out, downward from `top`: the argument and environment strings, the 16
 * AT_RANDOM bytes, then (16-byte aligned) argc, argv[], NULL, envp[], NULL, the
 * auxv pairs given (ending at LOS_AT_NULL) plus AT_RANDOM and AT_EXECFN, and
 * AT_NULL. Returns the stack pointer (pointing at argc), or 0 if `size` bytes
 * below `top` are not enough.
 */
uint64_t *los_build_stack(uint8_t *top, uint64_t size, int argc, char *const argv[], char *const envp[],
                          const uint64_t *auxv, const uint8_t random16[16]);

#endif
