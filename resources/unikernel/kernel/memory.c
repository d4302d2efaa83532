/*
 * memory.c: brk and anonymous mmap over the RAM QEMU gives us.
 *
 * All of RAM is identity-mapped at boot (boot.asm: 2 MiB pages), so handing
 * memory to the application is bookkeeping only: no page faults, ever, and
 * first touches cost what a TLB miss costs. RAM past the kernel image is zero
 * when the VM starts (every repetition is a fresh boot), so memory that has
 * never been handed out is known to be zero; only memory that comes back
 * through munmap and is handed out again is cleared.
 *
 * Layout above the image: [brk zone: BRK_ZONE bytes][mmap zone: the rest]. The
 * mmap zone grows upward; munmap of the topmost mapping gives it back, other
 * munmaps are accepted and leave the memory in place (a bump allocator: the
 * benchmarks allocate a few large buffers once).
 */
#include "memory.h"

#include "errno_values.h"

#define BRK_ZONE (32 * LOS_MIB) /* musl's mallocng takes only its bookkeeping pages from brk */
#define PROT_NONE_OK 0
#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20

static uint64_t brk_start, brk_cur, brk_end;
static uint64_t mmap_start, mmap_top, mmap_end;
/* Everything at or above this address has never been handed out, so it is still zero. */
static uint64_t mmap_clean_from;
static uint64_t peak_bytes;

static uint64_t page_up(uint64_t v) { return (v + LOS_PAGE_SIZE - 1) & ~(LOS_PAGE_SIZE - 1); }

static void note_peak(void) {
  uint64_t used = (brk_cur - brk_start) + (mmap_top - mmap_start);
  if (used > peak_bytes) peak_bytes = used;
}

void los_memory_init(uint64_t free_start, uint64_t ram_end) {
  brk_start = brk_cur = page_up(free_start);
  brk_end = brk_start + BRK_ZONE;
  mmap_start = mmap_top = mmap_clean_from = brk_end;
  mmap_end = ram_end & ~(LOS_PAGE_SIZE - 1);
  if (mmap_end <= mmap_start + 16 * LOS_MIB)
    los_panic("too little memory: %lu MiB of RAM end at 0x%lx", ram_end / LOS_MIB, ram_end);
}

uint64_t los_memory_total_bytes(void) { return mmap_end - brk_start; }
uint64_t los_memory_peak_bytes(void) { return peak_bytes; }

void *los_alloc_pages(uint64_t bytes) {
  bytes = page_up(bytes);
  if (bytes == 0 || bytes > mmap_end - mmap_top) return NULL;
  uint64_t at = mmap_top;
  mmap_top += bytes;
  if (at < mmap_clean_from) {
    uint64_t dirty_end = mmap_clean_from < mmap_top ? mmap_clean_from : mmap_top;
    los_memset((void *)at, 0, dirty_end - at);
  }
  if (mmap_top > mmap_clean_from) mmap_clean_from = mmap_top;
  note_peak();
  return (void *)at;
}

long los_brk(uint64_t addr) {
  if (addr >= brk_start && addr <= brk_end) {
    /* Shrinking then growing again must hand out zeroes, as Linux does. */
    if (addr < brk_cur) los_memset((void *)addr, 0, brk_cur - addr);
    brk_cur = addr;
    note_peak();
  }
  return (long)brk_cur; /* Linux returns the current break on failure too */
}

long los_mmap(uint64_t addr, uint64_t len, int prot, int flags, int fd, uint64_t off) {
  (void)addr, (void)prot, (void)off;
  if (len == 0) return -LOS_EINVAL;
  if (!(flags & MAP_ANONYMOUS) || fd != -1) return -LOS_ENODEV; /* no files to map */
  if (flags & MAP_FIXED) return -LOS_EINVAL;                   /* addresses are ours to choose */
  if (!(flags & (MAP_SHARED | MAP_PRIVATE))) return -LOS_EINVAL;
  void *p = los_alloc_pages(len);
  return p ? (long)p : -LOS_ENOMEM;
}

long los_munmap(uint64_t addr, uint64_t len) {
  if ((addr & (LOS_PAGE_SIZE - 1)) || len == 0) return -LOS_EINVAL;
  len = page_up(len);
  if (addr + len == mmap_top && addr >= mmap_start) mmap_top = addr; /* the topmost mapping comes back */
  return 0;
}
