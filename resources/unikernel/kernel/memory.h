/* memory.h: physical memory is the application's memory (see memory.c). */
#ifndef LOS_MEMORY_H
#define LOS_MEMORY_H

#include "los.h"

void los_memory_init(uint64_t free_start, uint64_t ram_end);
void *los_alloc_pages(uint64_t bytes); /* zeroed, page aligned; NULL when out of memory */
long los_brk(uint64_t addr);
long los_mmap(uint64_t addr, uint64_t len, int prot, int flags, int fd, uint64_t off);
long los_munmap(uint64_t addr, uint64_t len);
uint64_t los_memory_peak_bytes(void);
uint64_t los_memory_total_bytes(void);

#endif
