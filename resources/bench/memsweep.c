/*
 * memsweep: memory and TLB cost (DESIGN.md section 3).
 *
 * Allocates --size bytes without touching them, then takes 10 x size steps;
 * step i reads byte (i mod size) sequentially and writes it to byte
 * (4097 * i) mod size. The odd stride of one page plus one byte walks across
 * pages, so first-touch page faults and TLB misses dominate. The allocation,
 * the sweep and free() (which unmaps and returns the pages) are all inside
 * the timed part. Reports the time and the peak resident set (VmHWM, or
 * getrusage where /proc is missing).
 */
#include "bench_common.h"

#include <stdint.h>
#include <sys/resource.h>

#define PROG "memsweep"
#define SUMMARY "Writes 10 x size bytes at stride 4097 over a fresh allocation; reports seconds and peak RSS."

/* Steps per byte of the buffer, and the write stride (one 4 KiB page plus one byte). */
#define SWEEP_PASSES 10
#define SWEEP_STRIDE 4097

/*
 * Peak resident set of this program in KiB. getrusage's ru_maxrss keeps the
 * high-water mark of the image before execve (the forked parent's copy), so
 * /proc/self/status VmHWM (this image only) is preferred where /proc exists.
 */
static long peak_rss_kib(void) {
  FILE *f = fopen("/proc/self/status", "r");
  if (f != NULL) {
    char line[256];
    long kib = -1;
    while (fgets(line, sizeof line, f) != NULL)
      if (sscanf(line, "VmHWM: %ld kB", &kib) == 1) break;
    fclose(f);
    if (kib >= 0) return kib;
  }
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

int main(int argc, char **argv) {
  long long size = 0;
  bench_flag flags[] = {
      {"size", FLAG_INT, &size, 1, 4096, 1e12, "bytes to allocate (untouched) and sweep", 0},
  };
  bench_parse_flags(argc, argv, flags, 1, PROG, SUMMARY);

  const uint64_t n = (uint64_t)size, steps = SWEEP_PASSES * n;
  bench_progress(PROG, "sweeping %llu bytes, %llu steps at stride %d", (unsigned long long)n,
                 (unsigned long long)steps, SWEEP_STRIDE);

  double t0 = bench_now();
  unsigned char *buf = malloc(n);
  if (buf == NULL) {
    bench_progress(PROG, "error: cannot allocate %llu bytes", (unsigned long long)n);
    return BENCH_EXIT_FAILED;
  }
  /* read index i mod n and write index (4097 i) mod n, both kept incrementally (no division) */
  uint64_t src = 0, dst = 0;
  for (uint64_t i = 0; i < steps; i++) {
    buf[dst] = buf[src];
    if (++src == n) src = 0;
    dst += SWEEP_STRIDE;
    while (dst >= n) dst -= n;
  }
  /* The buffer escapes here, so the compiler cannot drop the sweep as dead stores. */
  __asm__ volatile("" : : "r"(buf) : "memory");
  free(buf);
  double seconds = bench_now() - t0;

  long max_rss_kib = peak_rss_kib();
  bench_progress(PROG, "%.4f s, peak RSS %ld KiB", seconds, max_rss_kib);

  bench_json metrics = {0}, params = {0};
  bench_json_num(&metrics, "seconds", seconds);
  bench_json_int(&metrics, "maxRssKiB", max_rss_kib);
  bench_json_int(&params, "size", size);
  bench_emit(PROG, &metrics, &params);
  return BENCH_EXIT_OK;
}
