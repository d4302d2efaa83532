/*
 * cpu.c: the descriptor tables and the MSRs that make the CPU deliver
 * exceptions and system calls to the library OS.
 *
 * Everything runs in ring 0 (kernel and application alike): one address space,
 * no privilege switch. Exceptions use IST1, a stack of their own, so a fault
 * never writes below the faulting code's stack pointer (musl is compiled with
 * the red zone). `syscall` enters los_syscall_entry (boot.asm) with the kernel
 * code selector from STAR.
 */
#include "los.h"

#define SEL_KERNEL_CODE 0x08
#define SEL_TSS 0x18
#define GATE_INTERRUPT 0x8e /* present, ring 0, 64-bit interrupt gate */
#define IST_TRAPS 1
#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_SFMASK 0xc0000084
/* rflags bits cleared on syscall entry: TF, IF, DF, IOPL, NT, AC (as Linux does) */
#define SYSCALL_RFLAGS_MASK 0x47700ULL
#define EXCEPTION_VECTORS 32

extern uint64_t los_trap_table[EXCEPTION_VECTORS];
extern char los_trap_stack_top[];
extern char los_syscall_entry[];

struct tss {
  uint32_t reserved0;
  uint64_t rsp[3];
  uint64_t reserved1;
  uint64_t ist[7];
  uint64_t reserved2;
  uint16_t reserved3;
  uint16_t iomap_base;
} __attribute__((packed));

struct idt_gate {
  uint16_t offset_low, selector;
  uint8_t ist, type;
  uint16_t offset_mid;
  uint32_t offset_high, reserved;
} __attribute__((packed));

struct table_register {
  uint16_t limit;
  uint64_t base;
} __attribute__((packed));

static struct tss tss;
static uint64_t gdt[5] = {
    0,
    0x00AF9A000000FFFFULL, /* 0x08 code, 64-bit, ring 0 */
    0x00CF92000000FFFFULL, /* 0x10 data, ring 0 */
    0, 0,                  /* 0x18 TSS (two slots), filled in below */
};
static struct idt_gate idt[EXCEPTION_VECTORS];

static void load_gdt_and_tss(void) {
  uint64_t base = (uint64_t)&tss, limit = sizeof tss - 1;
  gdt[3] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ULL << 40) /* present, available 64-bit TSS */
           | (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
  gdt[4] = base >> 32;
  struct table_register r = {sizeof gdt - 1, (uint64_t)gdt};
  __asm__ volatile("lgdt %0" : : "m"(r));
  __asm__ volatile("ltr %w0" : : "r"(SEL_TSS));
}

static void load_idt(void) {
  for (int v = 0; v < EXCEPTION_VECTORS; v++) {
    uint64_t a = los_trap_table[v];
    idt[v] = (struct idt_gate){(uint16_t)a, SEL_KERNEL_CODE, IST_TRAPS, GATE_INTERRUPT, (uint16_t)(a >> 16),
                               (uint32_t)(a >> 32), 0};
  }
  struct table_register r = {sizeof idt - 1, (uint64_t)idt};
  __asm__ volatile("lidt %0" : : "m"(r));
}

void los_cpu_init(void) {
  tss.ist[IST_TRAPS - 1] = (uint64_t)los_trap_stack_top;
  tss.iomap_base = sizeof tss; /* no I/O permission bitmap */
  load_gdt_and_tss();
  load_idt();
  /* STAR[47:32]: selector loaded into CS on syscall (SS = that + 8). The sysret half is unused. */
  wrmsr(MSR_STAR, (uint64_t)SEL_KERNEL_CODE << 32);
  wrmsr(MSR_LSTAR, (uint64_t)los_syscall_entry);
  wrmsr(MSR_SFMASK, SYSCALL_RFLAGS_MASK);
}
