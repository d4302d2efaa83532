/*
 * clock.c: the monotonic clock. The TSC, calibrated once at boot against the
 * HPET (whose period the hardware states in femtoseconds), then read with one
 * rdtsc per clock_gettime: no device access on the hot path. Under TCG, QEMU's
 * TSC follows the host's TSC; under KVM it is the real one. Both start at 0 when
 * the virtual CPU starts, so the clock reads "time since the VM started".
 * Wall-clock time (CLOCK_REALTIME) is the CMOS RTC read at boot plus the
 * monotonic time since.
 */
#include "los.h"

#define HPET_BASE 0xfed00000UL
#define HPET_CAPABILITIES 0x000 /* bits 63..32: counter period in femtoseconds */
#define HPET_CONFIG 0x010
#define HPET_CONFIG_ENABLE 0x1
#define HPET_COUNTER 0x0f0
#define HPET_MAX_PERIOD_FS 100000000ULL /* the specification's upper bound (10 MHz minimum) */
#define FS_PER_NS 1000000ULL
#define NS_PER_S 1000000000ULL
/* Calibration window: long enough that the pairing error (a few microseconds) is noise (1e-4). */
#define CALIBRATION_NS 30000000ULL
/* Tries per TSC/HPET pairing; the tightest bracket is kept. */
#define PAIR_TRIES 16
/* ns = tsc * mult >> MULT_SHIFT */
#define MULT_SHIFT 32

static uint64_t tsc_hz, tsc_mult, realtime_base_s, realtime_base_ns;

static inline uint64_t hpet_read(unsigned reg) { return *(volatile uint64_t *)(HPET_BASE + reg); }
static inline void hpet_write(unsigned reg, uint64_t v) { *(volatile uint64_t *)(HPET_BASE + reg) = v; }

/* ------------------------------------------------------------- CMOS RTC */
#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71
#define RTC_STATUS_A 0x0a
#define RTC_STATUS_A_UPDATING 0x80
#define RTC_STATUS_B 0x0b
#define RTC_STATUS_B_BINARY 0x04

static uint8_t cmos(uint8_t reg) {
  outb(CMOS_INDEX, reg);
  return inb(CMOS_DATA);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's civil algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = (unsigned)(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (int64_t)doe - 719468;
}

static uint64_t rtc_unix_seconds(void) {
  while (cmos(RTC_STATUS_A) & RTC_STATUS_A_UPDATING) cpu_relax();
  uint8_t r[6] = {cmos(0x00), cmos(0x02), cmos(0x04), cmos(0x07), cmos(0x08), cmos(0x09)};
  if (!(cmos(RTC_STATUS_B) & RTC_STATUS_B_BINARY))
    for (int i = 0; i < 6; i++) r[i] = (uint8_t)((r[i] & 0x0f) + (r[i] >> 4) * 10);
  int64_t days = days_from_civil(2000 + r[5], r[4], r[3]);
  return (uint64_t)(days * 86400 + r[2] * 3600 + r[1] * 60 + r[0]);
}

/* ------------------------------------------------------------------ TSC */

/*
 * One HPET reading paired with the TSC: the read is bracketed by two TSC reads
 * and the tightest of several brackets wins, so a moment where the host
 * deschedules the virtual CPU (common on a busy host) cannot skew the pair.
 */
static void paired_read(uint64_t *hpet, uint64_t *tsc) {
  uint64_t best_width = UINT64_MAX;
  for (int i = 0; i < PAIR_TRIES; i++) {
    uint64_t a = rdtsc(), h = hpet_read(HPET_COUNTER), b = rdtsc();
    if (b - a < best_width) best_width = b - a, *hpet = h, *tsc = a + (b - a) / 2;
  }
}

void los_clock_init(void) {
  uint64_t period_fs = hpet_read(HPET_CAPABILITIES) >> 32;
  if (period_fs == 0 || period_fs > HPET_MAX_PERIOD_FS)
    los_panic("no HPET at 0x%lx: the TSC cannot be calibrated (is QEMU started with -no-hpet?)", HPET_BASE);
  hpet_write(HPET_CONFIG, hpet_read(HPET_CONFIG) | HPET_CONFIG_ENABLE);
  const uint64_t window_ticks = CALIBRATION_NS * FS_PER_NS / period_fs;
  uint64_t h0 = 0, t0 = 0, h1 = 0, t1 = 0;
  paired_read(&h0, &t0);
  while (hpet_read(HPET_COUNTER) - h0 < window_ticks) cpu_relax();
  paired_read(&h1, &t1);
  uint64_t elapsed_ns = (h1 - h0) * period_fs / FS_PER_NS;
  tsc_hz = (uint64_t)((unsigned __int128)(t1 - t0) * NS_PER_S / elapsed_ns);
  tsc_mult = (uint64_t)(((unsigned __int128)NS_PER_S << MULT_SHIFT) / tsc_hz);
  realtime_base_s = rtc_unix_seconds();
  realtime_base_ns = los_clock_ns();
}

uint64_t los_clock_ns(void) { return (uint64_t)(((unsigned __int128)rdtsc() * tsc_mult) >> MULT_SHIFT); }

uint64_t los_tsc_hz(void) { return tsc_hz; }

/* Wall clock in ns since the Unix epoch. */
uint64_t los_realtime_ns(void) { return realtime_base_s * NS_PER_S + (los_clock_ns() - realtime_base_ns); }
