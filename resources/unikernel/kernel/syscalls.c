/*
 * syscalls.c: musl's `syscall` instructions land here (boot.asm saves the
 * registers). Numbers and argument registers are Linux x86-64's: rax = number,
 * rdi, rsi, rdx, r10, r8, r9 = arguments; the result (or -errno) goes back in
 * rax. A call we do not implement returns -ENOSYS and is named on the console
 * the first time it is made, so a missing call is visible, never silent.
 */
#include "errno_values.h"
#include "files.h"
#include "memory.h"
#include "syscall_names.h"

/* What boot.asm pushed, lowest address first. */
struct los_syscall_frame {
  uint64_t pad, nr, r9, r8, r10, rdx, rsi, rdi, rflags, rip;
};

struct timespec_k {
  int64_t sec, nsec;
};
struct rusage_k {
  struct timespec_k utime_as_timeval, stime_as_timeval; /* struct timeval: two longs each */
  int64_t maxrss, rest[13];
};

#define NS_PER_S 1000000000ULL
#define NS_PER_US 1000ULL
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define MSR_FS_BASE 0xc0000100
#define CLOCK_REALTIME 0
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_TAI 11
#define MAX_REPORTED_SYSCALL 512
#define PID 1  /* the one process */
#define PPID 0 /* its parent: none, as for Linux's init */
#define UTS_FIELD 65

extern const char los_program_name[];

static uint8_t reported[MAX_REPORTED_SYSCALL / 8 + 1];

static long unsupported(uint64_t nr) {
  uint64_t slot = nr < MAX_REPORTED_SYSCALL ? nr : MAX_REPORTED_SYSCALL;
  if (!(reported[slot / 8] & (1u << (slot % 8)))) {
    reported[slot / 8] |= (uint8_t)(1u << (slot % 8));
    los_printf(LOS_TAG "unsupported system call %lu (%s): returning -ENOSYS\n", nr, los_syscall_name(nr));
  }
  return -LOS_ENOSYS;
}

_Noreturn static void exit_app(int64_t status) {
  unsigned code = (unsigned)status & 0xff;
  los_printf(LOS_TAG "exit %u\n", code);
  los_exit(LOS_EXIT_APP_BASE + (code > LOS_EXIT_APP_MAX ? LOS_EXIT_APP_MAX : code));
}

static int realtime_clock(int64_t id) { return id == CLOCK_REALTIME || id == CLOCK_REALTIME_COARSE || id == CLOCK_TAI; }

static long clock_gettime(int64_t id, struct timespec_k *ts) {
  if (id < 0) return -LOS_EINVAL; /* process and thread CPU-time clocks by id: the one process is always on CPU */
  uint64_t ns = realtime_clock(id) ? los_realtime_ns() : los_clock_ns();
  ts->sec = (int64_t)(ns / NS_PER_S);
  ts->nsec = (int64_t)(ns % NS_PER_S);
  return 0;
}

/* There are no interrupts and nothing else to run, so sleeping is waiting on the clock. */
static long nanosleep(const struct timespec_k *req) {
  if (req->sec < 0 || req->nsec < 0 || (uint64_t)req->nsec >= NS_PER_S) return -LOS_EINVAL;
  uint64_t until = los_clock_ns() + (uint64_t)req->sec * NS_PER_S + (uint64_t)req->nsec;
  while (los_clock_ns() < until) cpu_relax();
  return 0;
}

static long getrusage(struct rusage_k *ru) {
  los_memset(ru, 0, sizeof *ru);
  uint64_t ns = los_clock_ns(); /* all time since boot is the program's user time */
  ru->utime_as_timeval.sec = (int64_t)(ns / NS_PER_S);
  ru->utime_as_timeval.nsec = (int64_t)(ns % NS_PER_S / NS_PER_US);
  ru->maxrss = (int64_t)(los_memory_peak_bytes() / 1024); /* memory handed to the program, KiB */
  return 0;
}

static long uname(char *u) {
  static const char *const fields[] = {"Benchvisor-libOS", "unikernel", "1.0", "#1", "x86_64", "(none)"};
  los_memset(u, 0, 6 * UTS_FIELD);
  for (int i = 0; i < 6; i++) los_memcpy(u + i * UTS_FIELD, fields[i], los_strlen(fields[i]));
  return 0;
}

static long arch_prctl(int64_t code, uint64_t addr) {
  if (code == ARCH_SET_FS) {
    wrmsr(MSR_FS_BASE, addr);
    return 0;
  }
  if (code == ARCH_GET_FS) {
    *(uint64_t *)addr = rdmsr(MSR_FS_BASE);
    return 0;
  }
  return -LOS_EINVAL;
}

long los_syscall(struct los_syscall_frame *f) {
  uint64_t a = f->rdi, b = f->rsi, c = f->rdx, d = f->r10, e = f->r8, g = f->r9;
  switch (f->nr) {
    case 0: return los_sys_read((int)a, (void *)b, c);
    case 1: return los_sys_write((int)a, (const void *)b, c);
    case 2: return los_sys_open((const char *)a, (int)b);
    case 3: return los_sys_close((int)a);
    case 4: /* stat */
    case 6: return los_sys_stat((const char *)a, (void *)b); /* lstat: there are no links */
    case 5: return los_sys_fstat((int)a, (void *)b);
    case 8: return los_sys_lseek((int)a, (int64_t)b, (int)c);
    case 9: return los_mmap(a, b, (int)c, (int)d, (int)e, g);
    case 10: return 0; /* mprotect: all memory is read-write-execute; accepted */
    case 11: return los_munmap(a, b);
    case 12: return los_brk(a);
    case 13: /* rt_sigaction */
    case 14: return 0; /* rt_sigprocmask: no signals are ever delivered, so any mask holds */
    case 16: return los_sys_ioctl((int)a, b, (void *)c);
    case 17: return los_sys_pread((int)a, (void *)b, c, (int64_t)d);
    case 18: return los_sys_pwrite((int)a, (const void *)b, c, (int64_t)d);
    case 19: return los_sys_readv((int)a, (const void *)b, (int)c);
    case 20: return los_sys_writev((int)a, (const void *)b, (int)c);
    case 24: return 0; /* sched_yield: nothing else to run */
    case 28: return 0; /* madvise: advice taken, nothing to do */
    case 35: return nanosleep((const struct timespec_k *)a);
    case 39: return PID;  /* getpid */
    case 60:              /* exit */
    case 231: exit_app((int64_t)a); /* exit_group */
    case 63: return uname((char *)a);
    case 72: return los_sys_fcntl((int)a, (int)b, c);
    case 74:                                  /* fsync */
    case 75: return los_sys_fsync((int)a);    /* fdatasync */
    case 98: return getrusage((struct rusage_k *)b);
    case 102: case 104: case 107: case 108: return 0; /* getuid getgid geteuid getegid: root */
    case 110: return PPID; /* getppid */
    case 158: return arch_prctl((int64_t)a, b);
    case 186: return PID; /* gettid */
    case 218: return PID; /* set_tid_address */
    case 228: return clock_gettime((int64_t)a, (struct timespec_k *)b);
    case 229: { /* clock_getres: one nanosecond is what the TSC conversion resolves */
      struct timespec_k *r = (struct timespec_k *)b;
      if (r) r->sec = 0, r->nsec = 1;
      return 0;
    }
    case 230: return nanosleep((const struct timespec_k *)c); /* clock_nanosleep, relative only */
    case 257: /* openat: every path is absolute here */
      return los_sys_open((const char *)b, (int)c);
    case 262: /* newfstatat */
      if (b && *(const char *)b == 0) return los_sys_fstat((int)a, (void *)c); /* AT_EMPTY_PATH */
      return los_sys_stat((const char *)b, (void *)c);
    default: return unsupported(f->nr);
  }
}
