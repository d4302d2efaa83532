/*
 * bench_common.h: the small pieces every Benchvisor benchmark shares.
 *
 *   - bench_now():          monotonic wall clock in seconds (CLOCK_MONOTONIC)
 *   - bench_parse_flags():  "--name value" / "--name=value" flags with strict
 *                           number parsing and range checks; bad input prints
 *                           the usage on stderr and exits 2
 *   - bench_json / bench_emit(): builds and prints the single result line
 *       @@BENCHVISOR {"benchmark":"<id>","metrics":{...},"params":{...}}
 *
 * Contract (DESIGN.md section 3): progress for humans on stderr, exactly one
 * result line on stdout, exit 1 when the benchmark's own check fails, exit 2
 * for bad arguments.
 */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Exit codes shared by all benchmarks. */
#define BENCH_EXIT_OK 0
#define BENCH_EXIT_FAILED 1 /* the benchmark ran but its own check failed */
#define BENCH_EXIT_USAGE 2  /* bad or missing arguments */

/* Marker that starts the one machine-readable line on stdout. */
#define BENCH_RESULT_MARKER "@@BENCHVISOR "

/* Room for one JSON object of metrics or params (a handful of keys). */
#define BENCH_JSON_CAPACITY 2048

/* ---------------------------------------------------------------- timing */

/* Seconds on the monotonic clock (immune to wall-clock adjustments). */
static inline double bench_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Progress line for humans, on stderr, prefixed with the program name. */
static inline void bench_progress(const char *prog, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "%s: ", prog);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

/* ----------------------------------------------------------------- flags */

typedef enum { FLAG_INT, FLAG_DOUBLE, FLAG_STRING, FLAG_SWITCH } bench_flag_kind;

typedef struct {
  const char *name;     /* without the leading "--" */
  bench_flag_kind kind; /* how the value is parsed */
  void *target;         /* long long*, double*, const char** or int* (switch) */
  int required;         /* 1: missing flag is a usage error */
  double min, max;      /* inclusive range for numbers */
  const char *help;     /* one line for the usage text */
  int seen;             /* set by the parser */
} bench_flag;

static inline void bench_usage(const char *prog, const char *summary, const bench_flag *flags, size_t n) {
  fprintf(stderr, "usage: %s", prog);
  for (size_t i = 0; i < n; i++) {
    const char *arg = flags[i].kind == FLAG_SWITCH ? "" : " VALUE";
    fprintf(stderr, flags[i].required ? " --%s%s" : " [--%s%s]", flags[i].name, arg);
  }
  fprintf(stderr, "\n%s\n", summary);
  for (size_t i = 0; i < n; i++) fprintf(stderr, "  --%-12s %s\n", flags[i].name, flags[i].help);
}

/* Prints the problem and the usage, then exits with BENCH_EXIT_USAGE. */
static inline void bench_usage_error(const char *prog, const char *summary, const bench_flag *flags, size_t n,
                                     const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "%s: error: ", prog);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  bench_usage(prog, summary, flags, n);
  exit(BENCH_EXIT_USAGE);
}

/* Parses a whole string as a base-10 integer; returns 0 on success. */
static inline int bench_parse_ll(const char *s, long long *out) {
  char *end = NULL;
  if (*s == '\0') return -1;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (errno != 0 || end == s || *end != '\0') return -1;
  *out = v;
  return 0;
}

/* Parses a whole string as a finite floating point number; returns 0 on success. */
static inline int bench_parse_double(const char *s, double *out) {
  char *end = NULL;
  if (*s == '\0') return -1;
  errno = 0;
  double v = strtod(s, &end);
  if (errno != 0 || end == s || *end != '\0' || !isfinite(v)) return -1;
  *out = v;
  return 0;
}

/* Parses argv into the flag table; any problem is a usage error (exit 2). */
static inline void bench_parse_flags(int argc, char **argv, bench_flag *flags, size_t n, const char *prog,
                                     const char *summary) {
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
      bench_usage(prog, summary, flags, n);
      exit(BENCH_EXIT_OK);
    }
    if (strncmp(arg, "--", 2) != 0)
      bench_usage_error(prog, summary, flags, n, "unexpected argument '%s'", arg);
    const char *name = arg + 2;
    const char *eq = strchr(name, '=');
    size_t name_len = eq ? (size_t)(eq - name) : strlen(name);
    bench_flag *f = NULL;
    for (size_t k = 0; k < n; k++)
      if (strlen(flags[k].name) == name_len && strncmp(flags[k].name, name, name_len) == 0) f = &flags[k];
    if (f == NULL) bench_usage_error(prog, summary, flags, n, "unknown flag '%s'", arg);
    if (f->seen) bench_usage_error(prog, summary, flags, n, "flag --%s given twice", f->name);
    f->seen = 1;
    if (f->kind == FLAG_SWITCH) {
      if (eq) bench_usage_error(prog, summary, flags, n, "flag --%s takes no value", f->name);
      *(int *)f->target = 1;
      continue;
    }
    const char *value = eq ? eq + 1 : NULL;
    if (value == NULL) {
      if (i + 1 >= argc) bench_usage_error(prog, summary, flags, n, "flag --%s needs a value", f->name);
      value = argv[++i];
    }
    if (f->kind == FLAG_STRING) {
      if (*value == '\0') bench_usage_error(prog, summary, flags, n, "flag --%s needs a non-empty value", f->name);
      *(const char **)f->target = value;
    } else if (f->kind == FLAG_INT) {
      long long v;
      if (bench_parse_ll(value, &v) != 0)
        bench_usage_error(prog, summary, flags, n, "--%s must be an integer, got '%s'", f->name, value);
      if ((double)v < f->min || (double)v > f->max)
        bench_usage_error(prog, summary, flags, n, "--%s must be between %.0f and %.0f, got %lld", f->name, f->min,
                          f->max, v);
      *(long long *)f->target = v;
    } else {
      double v;
      if (bench_parse_double(value, &v) != 0)
        bench_usage_error(prog, summary, flags, n, "--%s must be a number, got '%s'", f->name, value);
      if (v < f->min || v > f->max)
        bench_usage_error(prog, summary, flags, n, "--%s must be between %g and %g, got %g", f->name, f->min, f->max,
                          v);
      *(double *)f->target = v;
    }
  }
  for (size_t k = 0; k < n; k++)
    if (flags[k].required && !flags[k].seen)
      bench_usage_error(prog, summary, flags, n, "missing required flag --%s", flags[k].name);
}

/* ------------------------------------------------------------ JSON line */

typedef struct {
  char buf[BENCH_JSON_CAPACITY];
  size_t len;
  int count;
} bench_json;

static inline void bench_json_raw(bench_json *j, const char *fmt, ...) {
  if (j->len >= sizeof j->buf) return;
  va_list ap;
  va_start(ap, fmt);
  int w = vsnprintf(j->buf + j->len, sizeof j->buf - j->len, fmt, ap);
  va_end(ap);
  if (w > 0) j->len += (size_t)w;
  if (j->len >= sizeof j->buf) j->len = sizeof j->buf - 1;
}

static inline void bench_json_key(bench_json *j, const char *key) {
  bench_json_raw(j, "%s\"%s\":", j->count++ ? "," : "", key);
}

/* A number; non-finite values become null (the host rejects them as malformed). */
static inline void bench_json_num(bench_json *j, const char *key, double v) {
  bench_json_key(j, key);
  if (isfinite(v))
    bench_json_raw(j, "%.10g", v);
  else
    bench_json_raw(j, "null");
}

static inline void bench_json_int(bench_json *j, const char *key, long long v) {
  bench_json_key(j, key);
  bench_json_raw(j, "%lld", v);
}

/* A string, escaped for JSON (quotes, backslashes, control characters). */
static inline void bench_json_str(bench_json *j, const char *key, const char *s) {
  bench_json_key(j, key);
  bench_json_raw(j, "\"");
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\')
      bench_json_raw(j, "\\%c", *p);
    else if (*p < 0x20)
      bench_json_raw(j, "\\u%04x", *p);
    else
      bench_json_raw(j, "%c", *p);
  }
  bench_json_raw(j, "\"");
}

/*
 * Environment variable naming a file that receives a copy of the result line.
 * A pseudo-terminal can drop the last bytes a short-lived program writes when
 * the host is busy (a known race between the child's exit and the master's
 * final read), so the native platform reads the result from this file rather
 * than trusting the terminal alone.
 */
#define BENCH_RESULT_FILE_ENV "BENCHVISOR_RESULT_FILE"

/* Room for the whole result line: the marker, both JSON objects and the keys around them. */
#define BENCH_LINE_CAPACITY (2 * BENCH_JSON_CAPACITY + 256)

/* Prints the one result line on stdout, flushes it, and copies it to $BENCHVISOR_RESULT_FILE if set. */
static inline void bench_emit(const char *benchmark, const bench_json *metrics, const bench_json *params) {
  char line[BENCH_LINE_CAPACITY];
  snprintf(line, sizeof line, "%s{\"benchmark\":\"%s\",\"metrics\":{%.*s},\"params\":{%.*s}}\n",
           BENCH_RESULT_MARKER, benchmark, (int)metrics->len, metrics->buf, (int)params->len, params->buf);
  fputs(line, stdout);
  fflush(stdout);
  const char *path = getenv(BENCH_RESULT_FILE_ENV);
  if (path == NULL || *path == '\0') return;
  FILE *copy = fopen(path, "w");
  if (copy == NULL) {
    bench_progress(benchmark, "warning: cannot write the result copy to %s: %s", path, strerror(errno));
    return;
  }
  fputs(line, copy);
  fclose(copy);
}

#endif /* BENCH_COMMON_H */
