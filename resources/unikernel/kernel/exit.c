/* exit.c: leaving the virtual machine through isa-debug-exit (see los.h for the codes). */
#include "los.h"

_Noreturn void los_exit(unsigned debug_exit_value) {
  outl(LOS_DEBUG_EXIT_PORT, debug_exit_value);
  /* Only reached when QEMU has no isa-debug-exit device: stop the CPU for good. */
  los_printf(LOS_TAG "halt: no isa-debug-exit device at port 0x%x\n", LOS_DEBUG_EXIT_PORT);
  for (;;) __asm__ volatile("cli; hlt");
}

_Noreturn void los_panic(const char *fmt, ...) {
  va_list ap;
  los_printf(LOS_TAG "error: ");
  va_start(ap, fmt);
  los_vprintf(fmt, ap);
  va_end(ap);
  los_printf("\n");
  los_exit(LOS_EXIT_KERNEL_ERROR);
}
