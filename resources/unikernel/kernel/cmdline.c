/* cmdline.c: see cmdline.h. No libc: this file is also compiled into a host test. */
#include "cmdline.h"

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n'; }

static int same(const char *a, const char *b) {
  while (*a && *a == *b) a++, b++;
  return *a == *b;
}

static int starts_with(const char *s, const char *prefix) {
  while (*prefix)
    if (*s++ != *prefix++) return 0;
  return 1;
}

/* Splits into words in out->buf; returns the word count or -1 on overflow. */
static int split(const char *s, los_cmdline *out, char **words, int max) {
  int n = 0;
  unsigned len = 0;
  while (*s) {
    while (is_space(*s)) s++;
    if (!*s) break;
    if (n == max) return -1;
    words[n++] = out->buf + len;
    int quoted = 0;
    while (*s && (quoted || !is_space(*s))) {
      if (*s == '"') {
        quoted = !quoted, s++;
        continue;
      }
      if (*s == '\\' && (s[1] == '"' || s[1] == '\\')) s++;
      if (len + 2 > sizeof out->buf) return -1;
      out->buf[len++] = *s++;
    }
    out->buf[len++] = 0;
  }
  return n;
}

void los_cmdline_parse(const char *cmdline, const char *program, los_cmdline *out) {
  char *words[LOS_MAX_ARGS * 2];
  out->argc = 0;
  out->disk_path = 0;
  out->error = 0;
  out->argv[out->argc++] = (char *)program;
  out->argv[1] = 0;
  int n = split(cmdline ? cmdline : "", out, words, LOS_MAX_ARGS * 2);
  if (n < 0) {
    out->error = 1;
    return;
  }
  int dashes = -1;
  for (int i = 1; i < n && dashes < 0; i++)
    if (same(words[i], "--")) dashes = i;
  int first_arg = dashes >= 0 ? dashes + 1 : 1;
  for (int i = 1; i < (dashes >= 0 ? dashes : 1); i++)
    if (starts_with(words[i], "disk=")) out->disk_path = words[i] + 5;
  for (int i = first_arg; i < n; i++) {
    if (out->argc == LOS_MAX_ARGS) {
      out->error = 1;
      break;
    }
    out->argv[out->argc++] = words[i];
  }
  out->argv[out->argc] = 0;
}
