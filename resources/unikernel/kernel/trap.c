/*
 * trap.c: a CPU exception ends the program. The console gets one line naming
 * the exception (the host's crash message quotes it) and a register dump; the
 * VM exits with LOS_EXIT_CRASH.
 */
#include "los.h"

/* The frame boot.asm builds: our pushes (last first), then what the CPU pushed. */
struct los_trap_frame {
  uint64_t r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
  uint64_t vector, error;
  uint64_t rip, cs, rflags, rsp, ss;
};

static const char *const mnemonic[32] = {
    "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "CSO", "#TS", "#NP", "#SS", "#GP", "#PF", "#15",
    "#MF", "#AC", "#MC", "#XM", "#VE", "#CP", "#22", "#23", "#24", "#25", "#26", "#27", "#HV", "#VC", "#SX", "#31",
};
static const char *const title[32] = {
    "divide error", "debug", "non-maskable interrupt", "breakpoint", "overflow", "bound range exceeded",
    "invalid opcode", "device not available", "double fault", "coprocessor segment overrun", "invalid TSS",
    "segment not present", "stack-segment fault", "general protection fault", "page fault", "reserved",
    "x87 floating-point error", "alignment check", "machine check", "SIMD floating-point exception",
    "virtualization exception", "control protection exception", "reserved", "reserved", "reserved", "reserved",
    "reserved", "reserved", "hypervisor injection", "VMM communication", "security exception", "reserved",
};

#define PF_PRESENT 0x1
#define PF_WRITE 0x2
#define PF_FETCH 0x10
#define VECTOR_PAGE_FAULT 14

_Noreturn void los_trap(struct los_trap_frame *f) {
  unsigned v = (unsigned)f->vector & 31;
  uint64_t cr2, cr3;
  __asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
  __asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
  los_printf("\n" LOS_TAG "crash: exception %s (%s) at rip=0x%lx", mnemonic[v], title[v], f->rip);
  if (v == VECTOR_PAGE_FAULT)
    los_printf(", address 0x%lx (%s, %s)", cr2, f->error & PF_PRESENT ? "protection" : "not mapped",
               f->error & PF_FETCH ? "instruction fetch" : f->error & PF_WRITE ? "write" : "read");
  los_printf("\n");
  los_printf("  vector %u  error 0x%lx  cs 0x%lx  rflags 0x%lx  cr2 0x%lx  cr3 0x%lx\n", v, f->error, f->cs,
             f->rflags, cr2, cr3);
  los_printf("  rax %016lx  rbx %016lx  rcx %016lx  rdx %016lx\n", f->rax, f->rbx, f->rcx, f->rdx);
  los_printf("  rsi %016lx  rdi %016lx  rbp %016lx  rsp %016lx\n", f->rsi, f->rdi, f->rbp, f->rsp);
  los_printf("  r8  %016lx  r9  %016lx  r10 %016lx  r11 %016lx\n", f->r8, f->r9, f->r10, f->r11);
  los_printf("  r12 %016lx  r13 %016lx  r14 %016lx  r15 %016lx\n", f->r12, f->r13, f->r14, f->r15);
  los_exit(LOS_EXIT_CRASH);
}
