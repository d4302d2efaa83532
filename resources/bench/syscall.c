/*
 * syscall: the cost of one system call (DESIGN.md section 3).
 *
 * Calls getppid() --count times through syscall(SYS_getppid), so the C
 * library cannot answer from a cache: every iteration enters the kernel.
 * Separates plain system call cost from the process creation that forksum
 * measures.
 */
#include "bench_common.h"

#include <sys/syscall.h>
#include <unistd.h>

#define PROG "syscall"
#define SUMMARY "Times N getppid() system calls; reports nanoseconds per call."

int main(int argc, char **argv) {
  long long count = 0;
  bench_flag flags[] = {
      {"count", FLAG_INT, &count, 1, 1, 1e12, "number of getppid() calls", 0},
  };
  bench_parse_flags(argc, argv, flags, 1, PROG, SUMMARY);
  bench_progress(PROG, "%lld getppid() calls", count);

  const long parent = syscall(SYS_getppid);
  long mismatches = 0;
  double t0 = bench_now();
  for (long long i = 0; i < count; i++)
    if (syscall(SYS_getppid) != parent) mismatches++; /* the parent may die; counted, not fatal */
  double seconds = bench_now() - t0;
  double ns = seconds * 1e9 / (double)count;
  bench_progress(PROG, "%.4f s, %.1f ns per call%s", seconds, ns, mismatches ? " (parent changed)" : "");

  bench_json metrics = {0}, params = {0};
  bench_json_num(&metrics, "nsPerCall", ns);
  bench_json_num(&metrics, "seconds", seconds);
  bench_json_int(&metrics, "calls", count);
  bench_json_int(&params, "count", count);
  bench_emit(PROG, &metrics, &params);
  return BENCH_EXIT_OK;
}
