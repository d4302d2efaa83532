/*
 * host_logic.c: runs the library OS's pure logic (cmdline.c, stack.c) on the
 * host, for test/unikernel/hostLogic.test.ts. Prints one JSON object.
 *   host_logic CMDLINE      parse CMDLINE for program "prog"; print argv and options
 *   host_logic --stack A..  build an initial stack for argv A.. and decode it back
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../kernel/cmdline.h"
#include "../kernel/stack.h"

static void json_str(const char *s) {
  putchar('"');
  for (; *s; s++) {
    if ((unsigned char)*s < 0x20) {
      printf("\\u%04x", *s);
      continue;
    }
    if (*s == '"' || *s == '\\') putchar('\\');
    putchar(*s);
  }
  putchar('"');
}

static int parse(const char *cmdline) {
  static los_cmdline c;
  los_cmdline_parse(cmdline, "prog", &c);
  printf("{\"error\":%d,\"disk\":", c.error);
  if (c.disk_path) json_str(c.disk_path);
  else printf("null");
  printf(",\"argv\":[");
  for (int i = 0; i < c.argc; i++) {
    if (i) putchar(',');
    json_str(c.argv[i]);
  }
  printf("],\"terminated\":%s}\n", c.argv[c.argc] == 0 ? "true" : "false");
  return 0;
}

static int stack(int argc, char **argv) {
  static uint8_t mem[65536] __attribute__((aligned(16)));
  const uint64_t auxv[] = {LOS_AT_PAGESZ, 4096, LOS_AT_PHNUM, 1, LOS_AT_NULL, 0};
  const uint8_t random16[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  char *const envp[] = {"A=1", 0};
  /* top deliberately misaligned: the builder must realign */
  uint64_t *sp = los_build_stack(mem + sizeof mem - 3, sizeof mem - 3, argc, argv, envp, auxv, random16);
  if (!sp) return printf("{\"error\":\"no room\"}\n"), 0;
  uint64_t *w = sp;
  printf("{\"aligned\":%s,\"argc\":%lu,\"argv\":[", ((uint64_t)sp & 15) == 0 ? "true" : "false", (unsigned long)*w);
  int n = (int)*w++;
  for (int i = 0; i < n; i++, w++) {
    if (i) putchar(',');
    json_str((const char *)*w);
  }
  printf("],\"argvNull\":%s,\"envp\":[", *w++ == 0 ? "true" : "false");
  for (int i = 0; *w; i++, w++) {
    if (i) putchar(',');
    json_str((const char *)*w);
  }
  w++;
  printf("],\"auxv\":{");
  int random_ok = 0, first = 1;
  for (; w[0] != LOS_AT_NULL; w += 2) {
    if (w[0] == LOS_AT_RANDOM) random_ok = memcmp((void *)w[1], random16, 16) == 0;
    printf("%s\"%lu\":%lu", first ? "" : ",", (unsigned long)w[0],
           w[0] == LOS_AT_RANDOM || w[0] == LOS_AT_EXECFN ? 1UL : (unsigned long)w[1]);
    first = 0;
  }
  int inside = (uint8_t *)sp >= mem && (uint8_t *)(w + 2) <= mem + sizeof mem;
  printf("},\"randomCopied\":%s,\"inside\":%s}\n", random_ok ? "true" : "false", inside ? "true" : "false");
  return 0;
}

int main(int argc, char **argv) {
  if (argc >= 2 && strcmp(argv[1], "--stack") == 0) return stack(argc - 2, argv + 2);
  return parse(argc >= 2 ? argv[1] : "");
}
