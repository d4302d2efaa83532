/* stack.c: see stack.h. No libc: this file is also compiled into a host test. */
#include "stack.h"

#define STACK_ALIGN 16
#define RANDOM_BYTES 16

static uint64_t length(const char *s) {
  uint64_t n = 0;
  while (s[n]) n++;
  return n;
}

uint64_t *los_build_stack(uint8_t *top, uint64_t size, int argc, char *const argv[], char *const envp[],
                          const uint64_t *auxv, const uint8_t random16[16]) {
  uint8_t *floor = top - size, *p = top;
  int envc = 0, auxc = 0;
  while (envp && envp[envc]) envc++;
  while (auxv[2 * auxc] != LOS_AT_NULL) auxc++;
  /* Strings first (highest addresses), as Linux places them. */
  uint64_t strings = 0;
  for (int i = 0; i < argc; i++) strings += length(argv[i]) + 1;
  for (int i = 0; i < envc; i++) strings += length(envp[i]) + 1;
  uint64_t words = 1 + (uint64_t)argc + 1 + (uint64_t)envc + 1 + 2 * ((uint64_t)auxc + 3);
  if (strings + RANDOM_BYTES + STACK_ALIGN * 2 + words * 8 > size) return 0;

  char *arg_at[argc > 0 ? argc : 1], *env_at[envc > 0 ? envc : 1];
  for (int i = argc - 1; i >= 0; i--) {
    uint64_t n = length(argv[i]) + 1;
    p -= n;
    for (uint64_t k = 0; k < n; k++) p[k] = (uint8_t)argv[i][k];
    arg_at[i] = (char *)p;
  }
  for (int i = envc - 1; i >= 0; i--) {
    uint64_t n = length(envp[i]) + 1;
    p -= n;
    for (uint64_t k = 0; k < n; k++) p[k] = (uint8_t)envp[i][k];
    env_at[i] = (char *)p;
  }
  p = (uint8_t *)((uint64_t)p & ~(uint64_t)(STACK_ALIGN - 1)) - RANDOM_BYTES;
  for (int k = 0; k < RANDOM_BYTES; k++) p[k] = random16[k];
  uint8_t *random_at = p;

  uint64_t *sp = (uint64_t *)((uint64_t)(p - words * 8) & ~(uint64_t)(STACK_ALIGN - 1));
  if ((uint8_t *)sp < floor) return 0;
  uint64_t *w = sp;
  *w++ = (uint64_t)argc;
  for (int i = 0; i < argc; i++) *w++ = (uint64_t)arg_at[i];
  *w++ = 0;
  for (int i = 0; i < envc; i++) *w++ = (uint64_t)env_at[i];
  *w++ = 0;
  for (int i = 0; i < auxc; i++) *w++ = auxv[2 * i], *w++ = auxv[2 * i + 1];
  *w++ = LOS_AT_RANDOM, *w++ = (uint64_t)random_at;
  *w++ = LOS_AT_EXECFN, *w++ = argc > 0 ? (uint64_t)arg_at[0] : 0;
  *w++ = LOS_AT_NULL, *w++ = 0;
  return sp;
}
