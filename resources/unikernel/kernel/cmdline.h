/* cmdline.h: the kernel command line → library OS options and the program's argv (pure logic). */
#ifndef LOS_CMDLINE_H
#define LOS_CMDLINE_H

#define LOS_MAX_ARGS 64
#define LOS_CMDLINE_MAX 4096

typedef struct {
  char buf[LOS_CMDLINE_MAX]; /* the tokens, NUL-separated */
  int argc;                  /* argv[0] is the program name */
  char *argv[LOS_MAX_ARGS + 1];
  const char *disk_path; /* disk=PATH, or 0 */
  int error;             /* 1: too long or too many arguments */
} los_cmdline;

/*
 * Parses "IMAGE [OPTION...] -- ARG..." (QEMU puts the kernel's file name
 * first). Words are split at spaces; double quotes group a word that contains
 * spaces (a backslash escapes a quote or a backslash inside or outside quotes).
 * Options before "--" are key=value; known: disk=PATH. Without "--" every word
 * after the first is an argument.
 */
void los_cmdline_parse(const char *cmdline, const char *program, los_cmdline *out);

#endif
