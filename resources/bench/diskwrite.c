/*
 * diskwrite: sequential block I/O (DESIGN.md section 3).
 *
 * Writes --size-mib MiB in --block-kib KiB blocks to --file (a regular file,
 * created if missing and never truncated, or a block device such as /dev/vda in
 * a guest) from a 4096-byte aligned buffer, with O_DIRECT where the file system
 * supports it, then fsync()s. Where O_DIRECT is refused (EINVAL from open or
 * write, as on tmpfs) it carries on without it and reports direct=0.
 *
 * One semantics on every platform (README.md, "A disk repetition"): before the
 * timed part the same range is written once in full, untimed (the fill), so
 * every timed write overwrites storage that is already allocated — the host
 * file's blocks natively and in a container, the image's clusters or sparse
 * blocks under a guest's /dev/vda. The timed part spans open, the writes, fsync
 * and close. MB = 10^6 bytes.
 */
#include "bench_common.h"

#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#define PROG "diskwrite"
#define SUMMARY "Sequential write with O_DIRECT (when supported) and a final fsync; reports MB/s."

/* O_DIRECT needs buffers aligned to the logical block size; a page covers every common device. */
#define BUFFER_ALIGN 4096
#define KIB 1024ULL
#define MIB (1024ULL * 1024ULL)
/* Progress lines printed on stderr during the write. */
#define PROGRESS_STEPS 4

/* Opens the target, trying O_DIRECT first; *direct tells whether it stuck. */
static int open_target(const char *path, int no_direct, int *direct) {
  struct stat st;
  int flags = O_WRONLY;
  /* Written in place: a block device as it is, a file created when missing (never truncated). */
  if (stat(path, &st) != 0 || !S_ISBLK(st.st_mode)) flags |= O_CREAT;
  if (!no_direct) {
    int fd = open(path, flags | O_DIRECT, 0644);
    if (fd >= 0) {
      *direct = 1;
      return fd;
    }
    if (errno != EINVAL) return -1;
    bench_progress(PROG, "O_DIRECT refused by open (EINVAL): writing through the page cache");
  }
  *direct = 0;
  return open(path, flags, 0644);
}

/* Drops O_DIRECT from an open descriptor (after a write refused it). */
static int drop_direct(int fd) {
  int fl = fcntl(fd, F_GETFL);
  return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl & ~O_DIRECT);
}

/* Writes total bytes from buf in block-sized write() calls, fsync()s and closes.
 * Returns 0, or -1 after printing why. `report` prints progress lines. */
static int write_all(const char *path, int no_direct, const unsigned char *buf, uint64_t block,
                     uint64_t total, int report, int *direct) {
  int fd = open_target(path, no_direct, direct);
  if (fd < 0) {
    bench_progress(PROG, "error: cannot open %s: %s", path, strerror(errno));
    return -1;
  }
  uint64_t written = 0, next_report = total / PROGRESS_STEPS;
  while (written < total) {
    size_t want = (size_t)(total - written < block ? total - written : block);
    ssize_t w = write(fd, buf, want);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0 && errno == EINVAL && *direct) {
      bench_progress(PROG, "O_DIRECT refused by write (EINVAL): writing through the page cache");
      if (drop_direct(fd) != 0) {
        bench_progress(PROG, "error: cannot clear O_DIRECT: %s", strerror(errno));
        return -1;
      }
      *direct = 0;
      continue;
    }
    if (w <= 0) {
      bench_progress(PROG, "error: write failed after %llu bytes: %s", (unsigned long long)written,
                     w < 0 ? strerror(errno) : "no progress (device full?)");
      return -1;
    }
    written += (uint64_t)w;
    if (report && written >= next_report && written < total) {
      bench_progress(PROG, "%llu%% written", (unsigned long long)(written * 100 / total));
      next_report += total / PROGRESS_STEPS;
    }
  }
  if (fsync(fd) != 0) {
    bench_progress(PROG, "error: fsync failed: %s", strerror(errno));
    return -1;
  }
  if (close(fd) != 0) {
    bench_progress(PROG, "error: close failed: %s", strerror(errno));
    return -1;
  }
  return 0;
}

int main(int argc, char **argv) {
  const char *path = NULL;
  long long size_mib = 0, block_kib = 0;
  int no_direct = 0, no_fill = 0;
  long long offset = 0;
  bench_flag flags[] = {
      {"file", FLAG_STRING, &path, 1, 0, 0, "file or block device to write", 0},
      {"size-mib", FLAG_INT, &size_mib, 1, 1, 1 << 20, "MiB to write", 0},
      {"block-kib", FLAG_INT, &block_kib, 1, 1, 1 << 20, "KiB per write() call", 0},
      {"no-direct", FLAG_SWITCH, &no_direct, 0, 0, 0, "do not try O_DIRECT", 0},
      {"no-fill", FLAG_SWITCH, &no_fill, 0, 0, 0,
       "skip the untimed fill (the timed write may then pay for allocation)", 0},
      {"buffer-offset", FLAG_INT, &offset, 0, 0, BUFFER_ALIGN - 1,
       "misalign the buffer by this many bytes (tests the O_DIRECT fallback)", 0},
  };
  bench_parse_flags(argc, argv, flags, sizeof flags / sizeof flags[0], PROG, SUMMARY);

  const uint64_t total = (uint64_t)size_mib * MIB, block = (uint64_t)block_kib * KIB;
  void *mem = NULL;
  if (posix_memalign(&mem, BUFFER_ALIGN, block + (uint64_t)offset) != 0) {
    bench_progress(PROG, "error: cannot allocate a %llu-byte buffer", (unsigned long long)block);
    return BENCH_EXIT_FAILED;
  }
  unsigned char *buf = (unsigned char *)mem + offset;
  /* A non-zero pattern, so no layer can skip the write as zeroes. */
  for (uint64_t i = 0; i < block; i++) buf[i] = (unsigned char)(i * 7 + 1);

  int direct = 0;
  double fill_seconds = 0;
  if (!no_fill) {
    bench_progress(PROG, "fill (untimed): writing %llu bytes to %s once so the timed write overwrites",
                   (unsigned long long)total, path);
    double f0 = bench_now();
    if (write_all(path, no_direct, buf, block, total, 0, &direct) != 0) return BENCH_EXIT_FAILED;
    fill_seconds = bench_now() - f0;
  }
  bench_progress(PROG, "writing %llu bytes to %s in %llu-byte blocks", (unsigned long long)total, path,
                 (unsigned long long)block);
  double t0 = bench_now();
  if (write_all(path, no_direct, buf, block, total, 1, &direct) != 0) return BENCH_EXIT_FAILED;
  double seconds = bench_now() - t0;
  double mbps = (double)total / 1e6 / seconds;
  bench_progress(PROG, "%.1f MB/s (%s)", mbps, direct ? "O_DIRECT" : "page cache");
  free(mem);

  bench_json metrics = {0}, params = {0};
  bench_json_num(&metrics, "mbps", mbps);
  bench_json_num(&metrics, "seconds", seconds);
  bench_json_int(&metrics, "bytes", (long long)total);
  bench_json_int(&metrics, "direct", direct);
  if (!no_fill) bench_json_num(&metrics, "fillSeconds", fill_seconds);
  bench_json_str(&params, "file", path);
  bench_json_int(&params, "sizeMiB", size_mib);
  bench_json_int(&params, "blockKiB", block_kib);
  bench_json_int(&params, "fill", !no_fill);
  if (offset != 0) bench_json_int(&params, "bufferOffset", offset);
  bench_emit(PROG, &metrics, &params);
  return BENCH_EXIT_OK;
}
