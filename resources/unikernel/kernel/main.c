/*
 * main.c: from the multiboot hand-off to the application's _start.
 *
 * boot.asm has switched to long mode with all of the first 4 GiB identity
 * mapped (page 0 excepted). Here: console, descriptor tables and system call
 * MSRs, the clock, memory, the disk, then musl's _start (crt1.o) with the
 * initial stack a Linux kernel would build: argc, argv, envp, auxv.
 */
#include "cmdline.h"
#include "files.h"
#include "memory.h"
#include "stack.h"
#include "virtio_blk.h"

#define MULTIBOOT_LOADER_MAGIC 0x2BADB002u
#define MB_INFO_MEMORY (1u << 0)
#define MB_INFO_CMDLINE (1u << 2)
#define MB_INFO_MMAP (1u << 6)
#define MB_INFO_SIZE 0x58 /* bytes of the multiboot info structure we may read */
#define ONE_MIB 0x100000ULL
#define FREE_MEMORY_ALIGN (2 * LOS_MIB)
#define APP_STACK_BYTES (8 * LOS_MIB)
#define PT_TLS 7
#define PF_R 4

struct multiboot_info {
  uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
  uint32_t syms[4];
  uint32_t mmap_length, mmap_addr;
};

struct elf64_phdr {
  uint32_t type, flags;
  uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

/* From the linker script and crt1.o. */
extern char __image_end[], __tdata_start[], __tdata_size[], __tls_memsz[], __tls_align[];
extern char _start[];
extern const char los_program_name[];
void los_cpu_init(void);
_Noreturn void los_enter_app(uint64_t *sp, void *entry);

static los_cmdline cmdline;
/* musl finds its TLS image through AT_PHDR; our "program header table" is this one entry. */
static struct elf64_phdr tls_phdr;

static uint64_t max_u64(uint64_t a, uint64_t b) { return a > b ? a : b; }

/* splitmix64 over the TSC: AT_RANDOM seeds musl's stack-protector canary, no more. */
static uint64_t mix(uint64_t *state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/* The end of everything the loader placed after the kernel (the multiboot info and its strings). */
static uint64_t loader_data_end(const struct multiboot_info *mbi) {
  uint64_t end = max_u64((uint64_t)__image_end, (uint64_t)mbi + MB_INFO_SIZE);
  if (mbi->flags & MB_INFO_CMDLINE)
    end = max_u64(end, mbi->cmdline + los_strlen((const char *)(uint64_t)mbi->cmdline) + 1);
  if (mbi->flags & MB_INFO_MMAP) end = max_u64(end, (uint64_t)mbi->mmap_addr + mbi->mmap_length);
  return (end + FREE_MEMORY_ALIGN - 1) & ~(FREE_MEMORY_ALIGN - 1);
}

void los_main(uint32_t magic, uint32_t info) {
  los_serial_init();
  los_cpu_init();
  if (magic != MULTIBOOT_LOADER_MAGIC) los_panic("not started by a multiboot loader (magic 0x%x)", magic);
  const struct multiboot_info *mbi = (const struct multiboot_info *)(uint64_t)info;
  if (!(mbi->flags & MB_INFO_MEMORY)) los_panic("the loader gave no memory size");
  const char *raw = mbi->flags & MB_INFO_CMDLINE ? (const char *)(uint64_t)mbi->cmdline : "";
  los_cmdline_parse(raw, los_program_name, &cmdline);
  if (cmdline.error) los_panic("kernel command line too long (max %u bytes, %u arguments)", LOS_CMDLINE_MAX, LOS_MAX_ARGS);

  los_clock_init();
  uint64_t ram_end = ONE_MIB + (uint64_t)mbi->mem_upper * 1024;
  los_memory_init(loader_data_end(mbi), ram_end);
  los_files_init(cmdline.disk_path);
  los_blk_init();

  uint8_t *stack = los_alloc_pages(APP_STACK_BYTES);
  if (!stack) los_panic("no memory for the %lu MiB stack", APP_STACK_BYTES / LOS_MIB);
  uint64_t tls_memsz = (uint64_t)__tls_memsz;
  tls_phdr = (struct elf64_phdr){PT_TLS, PF_R, 0, (uint64_t)__tdata_start, (uint64_t)__tdata_start,
                                 (uint64_t)__tdata_size, tls_memsz, max_u64((uint64_t)__tls_align, 1)};
  const uint64_t auxv[] = {
      LOS_AT_PHDR, (uint64_t)&tls_phdr, LOS_AT_PHENT, sizeof tls_phdr, LOS_AT_PHNUM, tls_memsz ? 1 : 0,
      LOS_AT_PAGESZ, LOS_PAGE_SIZE, LOS_AT_ENTRY, (uint64_t)_start, LOS_AT_UID, 0, LOS_AT_EUID, 0,
      LOS_AT_GID, 0, LOS_AT_EGID, 0, LOS_AT_SECURE, 0, LOS_AT_NULL, 0,
  };
  uint64_t seed = rdtsc(), r0 = mix(&seed), r1 = mix(&seed);
  uint8_t random16[16];
  los_memcpy(random16, &r0, 8);
  los_memcpy(random16 + 8, &r1, 8);
  char *const envp[] = {0};
  uint64_t *sp = los_build_stack(stack + APP_STACK_BYTES, APP_STACK_BYTES, cmdline.argc, cmdline.argv, envp, auxv,
                                 random16);
  if (!sp) los_panic("the arguments do not fit on the stack");

  uint64_t ns = los_clock_ns();
  los_printf(LOS_TAG "main %s: boot %lu.%03lu ms after reset, TSC %lu kHz, %lu MiB for the program\n",
             los_program_name, ns / 1000000, ns / 1000 % 1000, los_tsc_hz() / 1000,
             los_memory_total_bytes() / LOS_MIB);
  los_enter_app(sp, _start);
}
