/*
 * probe.c: the library OS's own test program (test/unikernel/ boots it under
 * QEMU). One mode per run; each prints "probe: ..." lines the test reads.
 *   args A B ...      argv, the auxv entries musl relies on, pid/ppid, TLS
 *   clock SECONDS     "probe: clock start NS" / "probe: clock end NS" after
 *                     SECONDS of busy waiting on CLOCK_MONOTONIC (the host
 *                     times the two lines with its own clock)
 *   fault null|ud|div a null pointer read, an invalid opcode, a division by zero
 *   enosys            a system call the library OS lacks (socket), twice
 *   exit N            exit status N
 *   disk PATH         unaligned pwrite/pread round trips on the disk, then fsync
 *   memory            malloc/calloc/realloc/free of many sizes, contents checked
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static __thread int tls_value = 42;

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int args(int argc, char **argv) {
  for (int i = 0; i < argc; i++) printf("probe: argv[%d]=%s\n", i, argv[i]);
  printf("probe: argc=%d pagesz=%lu random=%s pid=%d ppid=%d tls=%d\n", argc, getauxval(AT_PAGESZ),
         getauxval(AT_RANDOM) ? "yes" : "no", (int)getpid(), (int)getppid(), tls_value);
  tls_value++;
  printf("probe: tls after increment=%d\n", tls_value);
  return 0;
}

static int clock_mode(const char *arg) {
  double seconds = atof(arg);
  long long t0 = now_ns();
  printf("probe: clock start %lld\n", t0);
  long long until = t0 + (long long)(seconds * 1e9), t;
  while ((t = now_ns()) < until) {
  }
  printf("probe: clock end %lld\n", t);
  /* Linger a moment: the host timestamps the end line as it arrives on the console. */
  while (now_ns() < t + 500000000LL) {
  }
  return 0;
}

static int fault(const char *kind) {
  printf("probe: fault %s\n", kind);
  fflush(stdout);
  if (strcmp(kind, "null") == 0) return *(volatile int *)0;
  if (strcmp(kind, "ud") == 0) __asm__ volatile("ud2");
  if (strcmp(kind, "div") == 0) __asm__ volatile("xor %%ecx, %%ecx; div %%ecx" ::: "eax", "ecx", "edx");
  return 3;
}

static int enosys(void) {
  for (int i = 0; i < 2; i++) {
    long r = syscall(SYS_socket, 2, 1, 0);
    printf("probe: socket -> %ld errno=%d (%s)\n", r, errno, strerror(errno));
    if (r != -1 || errno != ENOSYS) return 1;
  }
  printf("probe: enosys done\n");
  return 0;
}

static int disk(const char *path) {
  int fd = open(path, O_RDWR | O_DIRECT);
  if (fd < 0) {
    printf("probe: open %s failed: %s\n", path, strerror(errno));
    return 1;
  }
  static char out[3000], in[3000];
  const off_t offsets[] = {0, 7, 511, 4096 + 300, 1 << 20};
  for (size_t k = 0; k < sizeof offsets / sizeof offsets[0]; k++) {
    for (size_t i = 0; i < sizeof out; i++) out[i] = (char)(i * 31 + k * 7 + 1);
    if (pwrite(fd, out, sizeof out, offsets[k]) != (ssize_t)sizeof out) return printf("probe: pwrite failed\n"), 1;
    memset(in, 0, sizeof in);
    if (pread(fd, in, sizeof in, offsets[k]) != (ssize_t)sizeof in) return printf("probe: pread failed\n"), 1;
    if (memcmp(in, out, sizeof in) != 0) return printf("probe: mismatch at offset %ld\n", (long)offsets[k]), 1;
  }
  off_t end = lseek(fd, 0, SEEK_END);
  if (fsync(fd) != 0 || close(fd) != 0) return printf("probe: fsync/close failed\n"), 1;
  printf("probe: disk ok, %ld bytes\n", (long)end);
  return 0;
}

static int memory(void) {
  for (size_t size = 1; size <= (64u << 20); size *= 3) {
    unsigned char *p = calloc(1, size);
    if (!p) return printf("probe: calloc(%zu) failed\n", size), 1;
    for (size_t i = 0; i < size; i += 4096)
      if (p[i]) return printf("probe: calloc(%zu) not zero at %zu\n", size, i), 1;
    memset(p, 0xab, size);
    p = realloc(p, size * 2);
    if (!p || p[size - 1] != 0xab) return printf("probe: realloc(%zu) lost data\n", size), 1;
    free(p);
  }
  printf("probe: memory ok\n");
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) return args(argc, argv);
  const char *mode = argv[1], *arg = argc > 2 ? argv[2] : "";
  if (strcmp(mode, "args") == 0) return args(argc, argv);
  if (strcmp(mode, "clock") == 0) return clock_mode(arg);
  if (strcmp(mode, "fault") == 0) return fault(arg);
  if (strcmp(mode, "enosys") == 0) return enosys();
  if (strcmp(mode, "exit") == 0) return atoi(arg);
  if (strcmp(mode, "disk") == 0) return disk(arg);
  if (strcmp(mode, "memory") == 0) return memory();
  fprintf(stderr, "probe: unknown mode %s\n", mode);
  return 2;
}
