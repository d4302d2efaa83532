/*
 * los.h: what the parts of the library OS share (port and MSR access, the
 * console printf, exit codes, the boot facts).
 *
 * Compiled freestanding with -mgeneral-regs-only: the kernel never touches the
 * SSE registers, so a system call leaves the application's vector state intact
 * without saving it.
 */
#ifndef LOS_H
#define LOS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Exit protocol through QEMU's isa-debug-exit device (iobase 0xf4): writing V
 * makes QEMU exit with status (V << 1) | 1. The application's status C (0..63)
 * is sent as 0x40 + C, so QEMU exits with 129 + 2C; the library OS's own
 * failures use values below 0x40. Status 1 (an ordinary QEMU error) and 0 (a
 * guest that powered off by other means) can never be mistaken for either.
 */
#define LOS_DEBUG_EXIT_PORT 0xf4
#define LOS_EXIT_APP_BASE 0x40     /* + application exit status (clamped to 63) */
#define LOS_EXIT_APP_MAX 63
#define LOS_EXIT_CRASH 0x20        /* a CPU exception: QEMU status 65 */
#define LOS_EXIT_KERNEL_ERROR 0x21 /* the library OS could not start: QEMU status 67 */

#define LOS_PAGE_SIZE 4096UL
#define LOS_MIB (1024UL * 1024UL)

/* Every line the library OS itself prints starts with this, so the host can tell it from the app. */
#define LOS_TAG "@@LIBOS "

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) {
  uint8_t v;
  __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
  return v;
}
static inline uint16_t inw(uint16_t port) {
  uint16_t v;
  __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
  return v;
}
static inline uint32_t inl(uint16_t port) {
  uint32_t v;
  __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
  return v;
}
static inline uint64_t rdtsc(void) {
  uint32_t lo, hi;
  __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
  return ((uint64_t)hi << 32) | lo;
}
static inline void wrmsr(uint32_t msr, uint64_t v) {
  __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}
static inline uint64_t rdmsr(uint32_t msr) {
  uint32_t lo, hi;
  __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
  return ((uint64_t)hi << 32) | lo;
}
static inline void cpu_relax(void) { __asm__ volatile("pause" ::: "memory"); }

/* console.c */
void los_serial_init(void);
void los_console_write(const char *s, size_t n); /* \n becomes \r\n on the wire */
void los_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void los_vprintf(const char *fmt, va_list ap);

/* exit.c */
_Noreturn void los_exit(unsigned debug_exit_value);
_Noreturn void los_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* util.c: the kernel's own (no libc inside the kernel) */
void *los_memset(void *d, int c, size_t n);
void *los_memcpy(void *d, const void *s, size_t n);
size_t los_strlen(const char *s);
int los_strcmp(const char *a, const char *b);
int los_strncmp(const char *a, const char *b, size_t n);

/* clock.c */
void los_clock_init(void);
uint64_t los_clock_ns(void);      /* monotonic nanoseconds since reset */
uint64_t los_tsc_hz(void);
uint64_t los_realtime_ns(void);   /* wall clock, ns since the Unix epoch */

#endif
