/*
 * httpload: the host side of the nginx benchmark (DESIGN.md section 3).
 *
 * Fetches one URL over N keep-alive HTTP/1.1 connections, one request in
 * flight per connection, either exactly --requests times or for --duration
 * seconds, from a single thread with epoll. Every response is checked: status
 * 200, a Content-Length equal to --expect-bytes, and exactly that many body
 * bytes before the next request (a short, long or wrong response fails the
 * run). Latency (request sent -> last body byte) goes into a log-linear
 * histogram (buckets 1/64 of a power of two wide: percentiles within ~1.6%).
 *
 * It only ever connects to a loopback address given as a literal
 * (127.0.0.0/8 or ::1); anything else is refused before a socket is opened,
 * and every connected peer is checked again.
 *
 * Result line: totalMs (first connect -> last complete response), mbps (body
 * MB/s, 10^6 bytes), latency p50/p90/p99/max/mean in ms, requests, bytes, and
 * the client's own CPU use (getrusage) so the host can tell when the client,
 * not the server, was the limit. Exit 0 ok, 1 a response or connection
 * failed its check, 2 bad arguments or a refused address.
 */
#include "bench_common.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define PROG "httpload"
#define SUMMARY                                                                                  \
  "Fetches a loopback URL --requests times (or for --duration seconds) over --connections "      \
  "keep-alive connections; verifies every response's status and size; reports time, MB/s, "      \
  "latency percentiles and its own CPU use."

/* Largest response head (status line + headers) accepted. */
#define HEAD_MAX 8192
/* One read() takes at most this much (body bytes are counted, never kept). */
#define READ_CHUNK (256 * 1024)
/* Events handled per epoll_wait. */
#define MAX_EVENTS 256
/* epoll_wait wakes at least this often (ms) to check the duration and the stall timeout. */
#define TICK_MS 100
/* Histogram: values below SUB_COUNT us are exact; above, each power of two has SUB_HALF buckets. */
#define SUB_BITS 7
#define SUB_COUNT (1 << SUB_BITS)
#define SUB_HALF (SUB_COUNT / 2)
#define HIST_BUCKETS (SUB_COUNT + 48 * SUB_HALF)

typedef enum { C_CONNECTING, C_SENDING, C_HEAD, C_BODY, C_CLOSED } conn_state;

typedef struct {
  int fd;
  conn_state state;
  size_t sent;              /* request bytes written so far */
  char head[HEAD_MAX + 1];  /* response head collected so far */
  size_t head_len;
  long long body_left;      /* body bytes still expected */
  int close_after;          /* server said Connection: close */
  double started;           /* request start (monotonic seconds) */
} conn;

typedef struct {
  unsigned long long counts[HIST_BUCKETS];
  unsigned long long n;
  double sum_us, min_us, max_us;
} histogram;

static struct {
  /* target */
  struct sockaddr_storage addr;
  socklen_t addr_len;
  char request[HEAD_MAX];
  size_t request_len;
  /* work */
  long long total;          /* requests to send (duration mode: unlimited) */
  double duration;          /* seconds, or 0 */
  long long expect;         /* body bytes every response must have */
  double stall_timeout;     /* seconds without any progress that fail the run */
  long long issued, done, body_bytes, reconnects;
  double t0, t_last;
  int ep;
  histogram hist;
  char error[512];
} g;

/* ------------------------------------------------------------------ histogram */

static int msb(unsigned long long v) { return 63 - __builtin_clzll(v); }

static int bucket_of(unsigned long long us) {
  if (us < SUB_COUNT) return (int)us;
  int shift = msb(us) - (SUB_BITS - 1);
  int idx = shift * SUB_HALF + (int)(us >> shift);
  return idx < HIST_BUCKETS ? idx : HIST_BUCKETS - 1;
}

/* Lower bound and width (us) of a bucket. */
static void bucket_range(int idx, double *low, double *width) {
  if (idx < SUB_COUNT) {
    *low = idx;
    *width = 1;
    return;
  }
  int shift = idx / SUB_HALF - 1;
  int sub = idx - shift * SUB_HALF;
  *low = (double)((unsigned long long)sub << shift);
  *width = (double)(1ULL << shift);
}

static void hist_add(histogram *h, double seconds) {
  double us = seconds * 1e6;
  if (us < 0) us = 0;
  h->counts[bucket_of((unsigned long long)us)]++;
  if (h->n == 0 || us < h->min_us) h->min_us = us;
  if (us > h->max_us) h->max_us = us;
  h->n++;
  h->sum_us += us;
}

/* Nearest-rank percentile in ms: the middle of the bucket holding that rank, within [min, max]. */
static double hist_percentile_ms(const histogram *h, double p) {
  if (h->n == 0) return 0;
  unsigned long long rank = (unsigned long long)ceil(p / 100.0 * (double)h->n);
  if (rank < 1) rank = 1;
  unsigned long long seen = 0;
  for (int i = 0; i < HIST_BUCKETS; i++) {
    seen += h->counts[i];
    if (seen >= rank) {
      double low, width;
      bucket_range(i, &low, &width);
      double v = low + (width - 1) / 2;
      if (v < h->min_us) v = h->min_us;
      if (v > h->max_us) v = h->max_us;
      return v / 1000.0;
    }
  }
  return h->max_us / 1000.0;
}

/* ------------------------------------------------------------------ target */

/* Is this a loopback address (127.0.0.0/8 or ::1)? */
static int is_loopback(const struct sockaddr *sa) {
  if (sa->sa_family == AF_INET) {
    const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
    return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
  }
  if (sa->sa_family == AF_INET6) {
    const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
    return IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
  }
  return 0;
}

/* Refusal of the target: a usage error (exit 2) before any socket exists. */
static void refuse(const char *fmt, const char *what) {
  fprintf(stderr, "%s: error: ", PROG);
  fprintf(stderr, fmt, what);
  fputc('\n', stderr);
  exit(BENCH_EXIT_USAGE);
}

/*
 * Parses http://HOST[:PORT]/PATH where HOST is a literal IPv4 address or [IPv6]; fills g.addr
 * and the request text. Names are refused: resolving one could lead anywhere.
 */
static void parse_url(const char *url) {
  const char *prefix = "http://";
  if (strncmp(url, prefix, strlen(prefix)) != 0) refuse("the URL must start with http://, got '%s'", url);
  const char *host = url + strlen(prefix);
  char literal[INET6_ADDRSTRLEN + 1];
  const char *rest;
  int v6 = host[0] == '[';
  if (v6) {
    const char *close = strchr(host, ']');
    if (close == NULL || (size_t)(close - host - 1) >= sizeof literal) refuse("malformed IPv6 host in '%s'", url);
    memcpy(literal, host + 1, (size_t)(close - host - 1));
    literal[close - host - 1] = '\0';
    rest = close + 1;
  } else {
    size_t n = strcspn(host, ":/");
    if (n == 0 || n >= sizeof literal) refuse("no host in '%s'", url);
    memcpy(literal, host, n);
    literal[n] = '\0';
    rest = host + n;
  }
  long port = 80;
  if (*rest == ':') {
    char *end = NULL;
    port = strtol(rest + 1, &end, 10);
    if (end == rest + 1 || port < 1 || port > 65535) refuse("bad port in '%s'", url);
    rest = end;
  }
  const char *path = *rest == '\0' ? "/" : rest;
  if (*path != '/') refuse("malformed URL '%s'", url);
  for (const char *p = path; *p; p++)
    if ((unsigned char)*p <= 0x20 || *p == 0x7f) refuse("the URL path has a space or control character: '%s'", url);

  memset(&g.addr, 0, sizeof g.addr);
  if (v6) {
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&g.addr;
    if (inet_pton(AF_INET6, literal, &in6->sin6_addr) != 1) refuse("'%s' is not an IPv6 address", literal);
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons((unsigned short)port);
    g.addr_len = sizeof *in6;
  } else {
    struct sockaddr_in *in = (struct sockaddr_in *)&g.addr;
    if (inet_pton(AF_INET, literal, &in->sin_addr) != 1)
      refuse("'%s' is not an IP address (names are not resolved: give 127.0.0.1 or [::1])", literal);
    in->sin_family = AF_INET;
    in->sin_port = htons((unsigned short)port);
    g.addr_len = sizeof *in;
  }
  if (!is_loopback((struct sockaddr *)&g.addr))
    refuse("refusing %s: only loopback addresses (127.0.0.0/8, ::1) are loaded", literal);
  int w = snprintf(g.request, sizeof g.request, "GET %s HTTP/1.1\r\nHost: %s%s%s:%ld\r\nUser-Agent: benchvisor-httpload\r\n\r\n",
                   path, v6 ? "[" : "", literal, v6 ? "]" : "", port);
  if (w < 0 || (size_t)w >= sizeof g.request) refuse("the URL is too long: '%s'", url);
  g.request_len = (size_t)w;
}

/* ------------------------------------------------------------------ connections */

/* Records the first failure; the loop stops at the next check. */
static void fail(const char *fmt, ...) {
  if (g.error[0] != '\0') return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(g.error, sizeof g.error, fmt, ap);
  va_end(ap);
}

static int more_to_issue(double now) {
  if (g.duration > 0) return now - g.t0 < g.duration;
  return g.issued < g.total;
}

static void set_events(conn *c, unsigned events) {
  struct epoll_event ev = {.events = events, .data.ptr = c};
  if (epoll_ctl(g.ep, EPOLL_CTL_MOD, c->fd, &ev) != 0) fail("epoll_ctl: %s", strerror(errno));
}

static void close_conn(conn *c) {
  if (c->fd >= 0) close(c->fd);
  c->fd = -1;
  c->state = C_CLOSED;
}

static void open_conn(conn *c) {
  c->fd = socket(g.addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (c->fd < 0) {
    fail("socket: %s", strerror(errno));
    return;
  }
  int one = 1;
  setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  c->state = C_CONNECTING;
  c->head_len = 0;
  if (connect(c->fd, (struct sockaddr *)&g.addr, g.addr_len) != 0 && errno != EINPROGRESS) {
    fail("connect: %s", strerror(errno));
    return;
  }
  struct epoll_event ev = {.events = EPOLLOUT, .data.ptr = c};
  if (epoll_ctl(g.ep, EPOLL_CTL_ADD, c->fd, &ev) != 0) fail("epoll_ctl: %s", strerror(errno));
}

/* Writes (the rest of) the request; switches to reading once it is all out. */
static void send_request(conn *c) {
  while (c->sent < g.request_len) {
    ssize_t w = send(c->fd, g.request + c->sent, g.request_len - c->sent, MSG_NOSIGNAL);
    if (w < 0) {
      if (errno == EAGAIN) return set_events(c, EPOLLOUT);
      fail("sending a request: %s", strerror(errno));
      return;
    }
    c->sent += (size_t)w;
  }
  c->state = C_HEAD;
  set_events(c, EPOLLIN);
}

/* Starts the next request on an idle connection, or closes it when the work is done. */
static void next_request(conn *c, double now) {
  if (!more_to_issue(now)) {
    close_conn(c);
    return;
  }
  g.issued++;
  c->sent = 0;
  c->head_len = 0;
  c->close_after = 0;
  c->started = now;
  c->state = C_SENDING;
  send_request(c);
}

static void connected(conn *c) {
  int so_error = 0;
  socklen_t len = sizeof so_error;
  getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &so_error, &len);
  if (so_error != 0) {
    fail("connecting: %s", strerror(so_error));
    return;
  }
  struct sockaddr_storage peer;
  socklen_t plen = sizeof peer;
  if (getpeername(c->fd, (struct sockaddr *)&peer, &plen) != 0 || !is_loopback((struct sockaddr *)&peer)) {
    fail("the connected peer is not a loopback address");
    return;
  }
  next_request(c, bench_now());
}

/* Case-insensitive search for a header line's value; NULL when absent. */
static const char *header_value(const char *head, const char *name) {
  size_t n = strlen(name);
  for (const char *line = strstr(head, "\r\n"); line != NULL; line = strstr(line + 2, "\r\n")) {
    const char *h = line + 2;
    if (strncasecmp(h, name, n) == 0 && h[n] == ':') {
      h += n + 1;
      while (*h == ' ' || *h == '\t') h++;
      return h;
    }
  }
  return NULL;
}

/* Checks a complete head; returns 0 when the response may go on to its body. */
static int check_head(conn *c) {
  int status = 0;
  if (sscanf(c->head, "HTTP/1.%*1[01] %3d", &status) != 1) {
    fail("malformed status line: '%.60s'", c->head);
    return -1;
  }
  if (status != 200) {
    fail("response %lld had status %d (expected 200)", g.done + 1, status);
    return -1;
  }
  const char *te = header_value(c->head, "Transfer-Encoding");
  if (te != NULL) {
    fail("response %lld is chunked (Transfer-Encoding): its size cannot be checked", g.done + 1);
    return -1;
  }
  const char *cl = header_value(c->head, "Content-Length");
  long long length = -1;
  char *end = NULL;
  if (cl != NULL) length = strtoll(cl, &end, 10);
  if (cl == NULL || end == cl || length < 0) {
    fail("response %lld has no valid Content-Length", g.done + 1);
    return -1;
  }
  if (length != g.expect) {
    fail("response %lld has Content-Length %lld, expected %lld", g.done + 1, length, g.expect);
    return -1;
  }
  const char *connection = header_value(c->head, "Connection");
  c->close_after = connection != NULL && strncasecmp(connection, "close", 5) == 0;
  c->body_left = length;
  c->state = C_BODY;
  return 0;
}

static void response_done(conn *c, double now) {
  g.done++;
  g.body_bytes += g.expect;
  g.t_last = now;
  hist_add(&g.hist, now - c->started);
  if (c->close_after) {
    close_conn(c);
    if (more_to_issue(now)) {
      g.reconnects++;
      open_conn(c);
    }
    return;
  }
  next_request(c, now);
}

/* Feeds received bytes through the head and body of the current response. */
static void consume(conn *c, const char *data, size_t n, double now) {
  while (n > 0 && g.error[0] == '\0') {
    if (c->state != C_HEAD && c->state != C_BODY) {
      fail("%zu bytes arrived with no request in flight", n);
      return;
    }
    if (c->state == C_HEAD) {
      size_t room = HEAD_MAX - c->head_len;
      size_t take = n < room ? n : room;
      memcpy(c->head + c->head_len, data, take);
      size_t old = c->head_len;
      c->head_len += take;
      c->head[c->head_len] = '\0';
      char *end = strstr(c->head + (old > 3 ? old - 3 : 0), "\r\n\r\n");
      if (end == NULL) {
        if (c->head_len >= HEAD_MAX) fail("response head longer than %d bytes", HEAD_MAX);
        return;
      }
      size_t head_bytes = (size_t)(end + 4 - c->head) - old; /* of this chunk */
      end[2] = '\0';
      data += head_bytes;
      n -= head_bytes;
      if (check_head(c) != 0) return;
    }
    if (c->state == C_BODY) {
      long long take = (long long)n < c->body_left ? (long long)n : c->body_left;
      c->body_left -= take;
      data += take;
      n -= (size_t)take;
      if (c->body_left > 0) return;
      /* One request is in flight per connection: anything after the body is not an answer. */
      if (n > 0) {
        fail("response %lld had %zu bytes more than its Content-Length of %lld", g.done + 1, n, g.expect);
        return;
      }
      response_done(c, now);
      return;
    }
  }
}

static void readable(conn *c, char *buf) {
  for (;;) {
    ssize_t r = recv(c->fd, buf, READ_CHUNK, 0);
    if (r > 0) {
      consume(c, buf, (size_t)r, bench_now());
      if (g.error[0] != '\0' || c->state != C_BODY || r < READ_CHUNK) return;
      continue;
    }
    if (r < 0 && errno == EAGAIN) return;
    if (r < 0 && errno == EINTR) continue;
    if (c->state == C_BODY)
      fail("response %lld was cut short: %lld of %lld body bytes, then the connection %s", g.done + 1,
           g.expect - c->body_left, g.expect, r == 0 ? "closed" : strerror(errno));
    else if (c->state == C_HEAD)
      fail("the connection %s before response %lld's head was complete", r == 0 ? "closed" : strerror(errno),
           g.done + 1);
    else
      close_conn(c);
    return;
  }
}

/* ------------------------------------------------------------------ main loop */

static int busy_count(const conn *cs, int n) {
  int busy = 0;
  for (int i = 0; i < n; i++) busy += cs[i].state != C_CLOSED;
  return busy;
}

static void event_loop(conn *cs, int n) {
  static char buf[READ_CHUNK];
  struct epoll_event events[MAX_EVENTS];
  double last_progress = bench_now();
  long long last_done = 0;
  while (g.error[0] == '\0' && busy_count(cs, n) > 0) {
    int k = epoll_wait(g.ep, events, MAX_EVENTS, TICK_MS);
    if (k < 0 && errno != EINTR) {
      fail("epoll_wait: %s", strerror(errno));
      break;
    }
    for (int i = 0; i < k && g.error[0] == '\0'; i++) {
      conn *c = events[i].data.ptr;
      if (c->state == C_CONNECTING) connected(c);
      else if (c->state == C_SENDING) send_request(c);
      else if (c->state == C_HEAD || c->state == C_BODY) readable(c, buf);
    }
    double now = bench_now();
    if (g.done != last_done) {
      last_done = g.done;
      last_progress = now;
    } else if (now - last_progress > g.stall_timeout) {
      fail("no response completed for %g s (%lld of %lld done)", g.stall_timeout, g.done, g.issued);
    }
  }
}

static void emit(double total_s, double cpu_user, double cpu_sys, long long connections) {
  bench_json metrics = {0}, params = {0};
  bench_json_num(&metrics, "totalMs", total_s * 1000);
  bench_json_num(&metrics, "mbps", total_s > 0 ? (double)g.body_bytes / 1e6 / total_s : 0);
  bench_json_num(&metrics, "p50Ms", hist_percentile_ms(&g.hist, 50));
  bench_json_num(&metrics, "p90Ms", hist_percentile_ms(&g.hist, 90));
  bench_json_num(&metrics, "p99Ms", hist_percentile_ms(&g.hist, 99));
  bench_json_num(&metrics, "maxMs", g.hist.max_us / 1000);
  bench_json_num(&metrics, "meanMs", g.hist.n ? g.hist.sum_us / (double)g.hist.n / 1000 : 0);
  bench_json_int(&metrics, "requests", g.done);
  bench_json_int(&metrics, "bytes", g.body_bytes);
  bench_json_int(&metrics, "reconnects", g.reconnects);
  bench_json_num(&metrics, "cpuUserS", cpu_user);
  bench_json_num(&metrics, "cpuSysS", cpu_sys);
  bench_json_num(&metrics, "cpuPercent", total_s > 0 ? (cpu_user + cpu_sys) / total_s * 100 : 0);
  bench_json_int(&params, "requests", g.duration > 0 ? 0 : g.total);
  bench_json_num(&params, "duration", g.duration);
  bench_json_int(&params, "connections", connections);
  bench_json_int(&params, "expectBytes", g.expect);
  bench_emit("nginx", &metrics, &params);
}

static double cpu_seconds(const struct timeval *tv) { return (double)tv->tv_sec + (double)tv->tv_usec * 1e-6; }

int main(int argc, char **argv) {
  const char *url = NULL;
  long long requests = 0, connections = 0, expect = 0;
  double duration = 0, timeout = 60;
  bench_flag flags[] = {
      {"url", FLAG_STRING, &url, 1, 0, 0, "http://127.0.0.1:PORT/PATH or http://[::1]:PORT/PATH (loopback only)", 0},
      {"requests", FLAG_INT, &requests, 0, 1, 1e12, "exact number of requests (or --duration)", 0},
      {"duration", FLAG_DOUBLE, &duration, 0, 0.001, 86400, "seconds to keep issuing requests (or --requests)", 0},
      {"connections", FLAG_INT, &connections, 1, 1, 10000, "keep-alive connections, one request in flight each", 0},
      {"expect-bytes", FLAG_INT, &expect, 1, 0, 1e15, "body bytes every response must have", 0},
      {"timeout", FLAG_DOUBLE, &timeout, 0, 0.1, 86400, "seconds without a completed response that fail the run (60)", 0},
  };
  const size_t nflags = sizeof flags / sizeof flags[0];
  bench_parse_flags(argc, argv, flags, nflags, PROG, SUMMARY);
  if (flags[1].seen == flags[2].seen)
    bench_usage_error(PROG, SUMMARY, flags, nflags, "give exactly one of --requests and --duration");
  parse_url(url);
  signal(SIGPIPE, SIG_IGN);

  g.total = requests;
  g.duration = duration;
  g.expect = expect;
  g.stall_timeout = timeout;
  int n = (int)(g.duration > 0 || connections < requests ? connections : requests);
  conn *cs = calloc((size_t)n, sizeof *cs);
  g.ep = epoll_create1(EPOLL_CLOEXEC);
  if (cs == NULL || g.ep < 0) {
    fprintf(stderr, "%s: error: out of memory or no epoll\n", PROG);
    return BENCH_EXIT_FAILED;
  }
  bench_progress(PROG, "%s %lld %s over %d connections, %lld bytes each", url,
                 g.duration > 0 ? (long long)g.duration : requests, g.duration > 0 ? "s" : "requests", n, expect);

  struct rusage ru0, ru1;
  getrusage(RUSAGE_SELF, &ru0);
  g.t0 = bench_now();
  g.t_last = g.t0;
  for (int i = 0; i < n && g.error[0] == '\0'; i++) open_conn(&cs[i]);
  event_loop(cs, n);
  getrusage(RUSAGE_SELF, &ru1);
  double total_s = g.t_last - g.t0;
  double cpu_user = cpu_seconds(&ru1.ru_utime) - cpu_seconds(&ru0.ru_utime);
  double cpu_sys = cpu_seconds(&ru1.ru_stime) - cpu_seconds(&ru0.ru_stime);
  for (int i = 0; i < n; i++) close_conn(&cs[i]);
  free(cs);

  if (g.error[0] == '\0' && g.duration == 0 && g.done != g.total)
    fail("%lld of %lld responses completed", g.done, g.total);
  emit(total_s, cpu_user, cpu_sys, n);
  if (g.error[0] != '\0') {
    fprintf(stderr, "%s: error: %s\n", PROG, g.error);
    return BENCH_EXIT_FAILED;
  }
  bench_progress(PROG, "%lld responses, %lld bytes in %.1f ms (%.1f MB/s), p50 %.3f ms, p99 %.3f ms, cpu %.0f%%",
                 g.done, g.body_bytes, total_s * 1000, total_s > 0 ? (double)g.body_bytes / 1e6 / total_s : 0,
                 hist_percentile_ms(&g.hist, 50), hist_percentile_ms(&g.hist, 99),
                 total_s > 0 ? (cpu_user + cpu_sys) / total_s * 100 : 0);
  return BENCH_EXIT_OK;
}
