/*
 * forksum: process creation cost (DESIGN.md section 3).
 *
 * Sums the integers of [start, end] with a binary tree of processes: a node
 * holding more than one number forks a child for each half and reads the
 * child's partial sum (and the forks it made) from a pipe; a leaf calls
 * getppid() (one real system call) and reports its number. N numbers give
 * 2N-1 nodes, so 2N-2 forks. A node forks its right child only after its left
 * child has answered, which keeps at most about log2(N) processes alive at
 * once (safe in a small guest, independent of the vCPU count). Every child
 * dies with its parent (PR_SET_PDEATHSIG), so killing the root on a timeout
 * or cancel leaves no process behind. The total is
 * checked against (start+end)(end-start+1)/2; a wrong sum exits 1.
 */
#include "bench_common.h"

#include <signal.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PROG "forksum"
#define SUMMARY "Sums [start,end] with a binary tree of forked children (2N-2 forks); checks the sum."

/* What a subtree reports to its parent through the pipe. */
typedef struct {
  int64_t sum;
  int64_t forks;
} partial;

/* Reads exactly len bytes (pipes may deliver less per read). */
static int read_full(int fd, void *dst, size_t len) {
  unsigned char *p = dst;
  while (len > 0) {
    ssize_t r = read(fd, p, len);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return -1;
    p += r;
    len -= (size_t)r;
  }
  return 0;
}

static int write_full(int fd, const void *src, size_t len) {
  const unsigned char *p = src;
  while (len > 0) {
    ssize_t w = write(fd, p, len);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    p += w;
    len -= (size_t)w;
  }
  return 0;
}

static int sum_range(int64_t lo, int64_t hi, partial *out);

/* Forks a child that sums [lo, hi] and waits for its answer. Returns 0 on success. */
static int sum_in_child(int64_t lo, int64_t hi, partial *out) {
  int fds[2];
  if (pipe(fds) != 0) {
    bench_progress(PROG, "error: pipe: %s", strerror(errno));
    return -1;
  }
  const pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    bench_progress(PROG, "error: fork: %s", strerror(errno));
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (pid == 0) { /* child: compute, report, leave without running the parent's atexit/stdio */
    /* Die with the parent: killing the root (timeout, cancel) takes the whole tree down. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent) _exit(1);
    close(fds[0]);
    partial mine;
    int rc = sum_range(lo, hi, &mine);
    if (rc == 0) rc = write_full(fds[1], &mine, sizeof mine);
    _exit(rc == 0 ? 0 : 1);
  }
  close(fds[1]);
  int rc = read_full(fds[0], out, sizeof *out);
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (rc != 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return -1;
  out->forks += 1; /* the fork that made this child */
  return 0;
}

static int sum_range(int64_t lo, int64_t hi, partial *out) {
  if (lo == hi) {
    syscall(SYS_getppid); /* a leaf's one real system call */
    out->sum = lo;
    out->forks = 0;
    return 0;
  }
  int64_t mid = lo + (hi - lo) / 2;
  partial left, right;
  if (sum_in_child(lo, mid, &left) != 0) return -1;
  if (sum_in_child(mid + 1, hi, &right) != 0) return -1;
  out->sum = left.sum + right.sum;
  out->forks = left.forks + right.forks;
  return 0;
}

int main(int argc, char **argv) {
  long long start = -1, end = -1;
  bench_flag flags[] = {
      {"start", FLAG_INT, &start, 1, 0, 1e9, "first number of the range", 0},
      {"end", FLAG_INT, &end, 1, 0, 1e9, "last number of the range (inclusive, >= start)", 0},
  };
  const size_t nflags = sizeof flags / sizeof flags[0];
  bench_parse_flags(argc, argv, flags, nflags, PROG, SUMMARY);
  if (end < start)
    bench_usage_error(PROG, SUMMARY, flags, nflags, "empty range: --end (%lld) is below --start (%lld)", end, start);

  const int64_t count = end - start + 1;
  bench_progress(PROG, "summing [%lld, %lld]: %lld numbers, %lld forks", start, end, (long long)count,
                 (long long)(2 * count - 2));
  fflush(stderr);
  partial total;
  double t0 = bench_now();
  int rc = sum_range(start, end, &total);
  double seconds = bench_now() - t0;
  if (rc != 0) {
    bench_progress(PROG, "error: a child failed");
    return BENCH_EXIT_FAILED;
  }
  const int64_t expected = (int64_t)(start + end) * count / 2;
  if (total.sum != expected || total.forks != 2 * count - 2) {
    bench_progress(PROG, "error: got sum %lld with %lld forks, expected %lld with %lld", (long long)total.sum,
                   (long long)total.forks, (long long)expected, (long long)(2 * count - 2));
    return BENCH_EXIT_FAILED;
  }
  bench_progress(PROG, "sum %lld verified, %.4f s", (long long)total.sum, seconds);

  bench_json metrics = {0}, params = {0};
  bench_json_num(&metrics, "seconds", seconds);
  bench_json_int(&metrics, "forks", total.forks);
  bench_json_int(&metrics, "sum", total.sum);
  bench_json_int(&params, "start", start);
  bench_json_int(&params, "end", end);
  bench_emit(PROG, &metrics, &params);
  return BENCH_EXIT_OK;
}
