/*
 * console.c: the 16550 UART at COM1 (port 0x3f8), polled, and a small printf
 * for the kernel's own messages. QEMU connects it to the host (-serial).
 */
#include <stdarg.h>

#include "los.h"

#define COM1 0x3f8
#define UART_DATA 0
#define UART_IER 1 /* interrupt enable */
#define UART_FCR 2 /* FIFO control */
#define UART_LCR 3 /* line control */
#define UART_MCR 4 /* modem control */
#define UART_LSR 5 /* line status */
#define UART_LSR_THRE 0x20 /* transmit holding register empty */
#define UART_LCR_DLAB 0x80 /* divisor latch access */
#define UART_DIVISOR_115200 1

void los_serial_init(void) {
  outb(COM1 + UART_IER, 0x00); /* polled: no interrupts */
  outb(COM1 + UART_LCR, UART_LCR_DLAB);
  outb(COM1 + UART_DATA, UART_DIVISOR_115200);
  outb(COM1 + UART_IER, 0x00);
  outb(COM1 + UART_LCR, 0x03); /* 8 data bits, no parity, 1 stop bit */
  outb(COM1 + UART_FCR, 0x07); /* enable and clear the FIFOs */
  outb(COM1 + UART_MCR, 0x03); /* DTR, RTS */
}

static void serial_put(char c) {
  while (!(inb(COM1 + UART_LSR) & UART_LSR_THRE)) cpu_relax();
  outb(COM1 + UART_DATA, (uint8_t)c);
}

void los_console_write(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '\n') serial_put('\r');
    serial_put(s[i]);
  }
}

/* ------------------------------------------------------------------ printf */

typedef struct {
  char buf[256];
  size_t len;
} line_buf;

static void put(line_buf *b, char c) {
  if (b->len == sizeof b->buf) {
    los_console_write(b->buf, b->len);
    b->len = 0;
  }
  b->buf[b->len++] = c;
}

static void put_str(line_buf *b, const char *s) {
  if (!s) s = "(null)";
  while (*s) put(b, *s++);
}

static void put_num(line_buf *b, uint64_t v, unsigned base, int width, char pad, int negative) {
  char tmp[24];
  int n = 0;
  do {
    tmp[n++] = "0123456789abcdef"[v % base];
    v /= base;
  } while (v);
  if (negative) tmp[n++] = '-';
  while (n < width) put(b, pad), width--;
  while (n) put(b, tmp[--n]);
}

/* Supports %s %c %d %u %x %p with the l / ll / z size prefixes and a zero-padded width. */
static void vprintf_to(line_buf *b, const char *fmt, va_list ap) {
  for (; *fmt; fmt++) {
    if (*fmt != '%') {
      put(b, *fmt);
      continue;
    }
    fmt++;
    char pad = ' ';
    int width = 0, longs = 0;
    if (*fmt == '0') pad = '0', fmt++;
    while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
    while (*fmt == 'l' || *fmt == 'z') longs++, fmt++;
    switch (*fmt) {
      case 's': put_str(b, va_arg(ap, const char *)); break;
      case 'c': put(b, (char)va_arg(ap, int)); break;
      case 'd': {
        int64_t v = longs ? va_arg(ap, int64_t) : va_arg(ap, int);
        put_num(b, v < 0 ? (uint64_t)-v : (uint64_t)v, 10, width, pad, v < 0);
        break;
      }
      case 'u': put_num(b, longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 10, width, pad, 0); break;
      case 'x': put_num(b, longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 16, width, pad, 0); break;
      case 'p':
        put_str(b, "0x");
        put_num(b, (uint64_t)va_arg(ap, void *), 16, 16, '0', 0);
        break;
      case '%': put(b, '%'); break;
      default: put(b, '%'), put(b, *fmt); break;
    }
  }
}

void los_vprintf(const char *fmt, va_list ap) {
  line_buf b;
  b.len = 0;
  vprintf_to(&b, fmt, ap);
  los_console_write(b.buf, b.len);
}

void los_printf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  los_vprintf(fmt, ap);
  va_end(ap);
}
