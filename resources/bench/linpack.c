/*
 * linpack: floating point speed (DESIGN.md section 3).
 *
 * LU factorisation with partial pivoting (dgefa) and solve (dgesl) of a dense
 * n x n system, n = size/2, stored column-major with leading dimension size.
 * The BLAS level-1 kernels (daxpy, ddot, dscal, idamax) come in a rolled and
 * an unrolled-by-4 form (--variant). Repetitions double until the timed part
 * (factor + solve, matrix generation excluded) lasts at least --seconds.
 * flops per repetition = 2n^3/3 + 2n^2. The last solution is checked with the
 * normalised residual max|Ax-b| / (n * |A| * |x| * eps); a large residual is a
 * wrong answer and exits 1.
 */
#include "bench_common.h"

#include <float.h>

#define PROG "linpack"
#define SUMMARY "LU factorisation + solve of an (size/2)^2 system; reports KFLOPS and checks the residual."

/* A correct factorisation gives a normalised residual of order 1; beyond this it is wrong. */
#define RESIDUAL_LIMIT 100.0
/* Seed and multiplier of the classic deterministic matrix generator. */
#define MATGEN_SEED 1325
#define MATGEN_MULT 3125
#define MATGEN_MOD 65536

/* The level-1 kernels one variant uses (unit stride only, which is all LU needs). */
typedef struct {
  const char *name;
  void (*daxpy)(int n, double da, const double *dx, double *dy);
  double (*ddot)(int n, const double *dx, const double *dy);
  void (*dscal)(int n, double da, double *dx);
} blas_ops;

/* ------------------------------------------------------ rolled kernels */

static void daxpy_rolled(int n, double da, const double *dx, double *dy) {
  if (n <= 0 || da == 0.0) return;
  for (int i = 0; i < n; i++) dy[i] += da * dx[i];
}

static double ddot_rolled(int n, const double *dx, const double *dy) {
  double sum = 0.0;
  for (int i = 0; i < n; i++) sum += dx[i] * dy[i];
  return sum;
}

static void dscal_rolled(int n, double da, double *dx) {
  for (int i = 0; i < n; i++) dx[i] *= da;
}

/* ---------------------------------------------------- unrolled kernels */

static void daxpy_unrolled(int n, double da, const double *dx, double *dy) {
  if (n <= 0 || da == 0.0) return;
  int m = n % 4;
  for (int i = 0; i < m; i++) dy[i] += da * dx[i];
  for (int i = m; i < n; i += 4) {
    dy[i] += da * dx[i];
    dy[i + 1] += da * dx[i + 1];
    dy[i + 2] += da * dx[i + 2];
    dy[i + 3] += da * dx[i + 3];
  }
}

static double ddot_unrolled(int n, const double *dx, const double *dy) {
  double sum = 0.0;
  int m = n % 4;
  for (int i = 0; i < m; i++) sum += dx[i] * dy[i];
  for (int i = m; i < n; i += 4)
    sum += dx[i] * dy[i] + dx[i + 1] * dy[i + 1] + dx[i + 2] * dy[i + 2] + dx[i + 3] * dy[i + 3];
  return sum;
}

static void dscal_unrolled(int n, double da, double *dx) {
  int m = n % 4;
  for (int i = 0; i < m; i++) dx[i] *= da;
  for (int i = m; i < n; i += 4) {
    dx[i] *= da;
    dx[i + 1] *= da;
    dx[i + 2] *= da;
    dx[i + 3] *= da;
  }
}

static const blas_ops ROLLED = {"rolled", daxpy_rolled, ddot_rolled, dscal_rolled};
static const blas_ops UNROLLED = {"unrolled", daxpy_unrolled, ddot_unrolled, dscal_unrolled};

/* Index of the element with the largest magnitude. */
static int idamax(int n, const double *dx) {
  int best = 0;
  double max = fabs(dx[0]);
  for (int i = 1; i < n; i++) {
    if (fabs(dx[i]) > max) {
      max = fabs(dx[i]);
      best = i;
    }
  }
  return best;
}

/* Element (row i, column j) of a column-major matrix with leading dimension lda. */
#define AT(a, lda, i, j) ((a)[(size_t)(lda) * (size_t)(j) + (size_t)(i)])

/* Fills a with deterministic values in [-2, 2) and b with its row sums (so x = 1); returns max|a|. */
static double matgen(double *a, int lda, int n, double *b) {
  long seed = MATGEN_SEED;
  double norma = 0.0;
  for (int j = 0; j < n; j++)
    for (int i = 0; i < n; i++) {
      seed = (MATGEN_MULT * seed) % MATGEN_MOD;
      AT(a, lda, i, j) = ((double)seed - 32768.0) / 16384.0;
      if (fabs(AT(a, lda, i, j)) > norma) norma = fabs(AT(a, lda, i, j));
    }
  for (int i = 0; i < n; i++) b[i] = 0.0;
  for (int j = 0; j < n; j++)
    for (int i = 0; i < n; i++) b[i] += AT(a, lda, i, j);
  return norma;
}

/* out[j] = sum of column j (the right-hand side of A^T x = A^T 1). */
static void column_sums(const double *a, int lda, int n, double *out) {
  for (int j = 0; j < n; j++) {
    out[j] = 0.0;
    for (int i = 0; i < n; i++) out[j] += AT(a, lda, i, j);
  }
}

/* LU factorisation with partial pivoting, in place. Returns 0, or k+1 when U(k,k) == 0. */
static int dgefa(double *a, int lda, int n, int *ipvt, const blas_ops *ops) {
  int info = 0;
  for (int k = 0; k < n - 1; k++) {
    double *col_k = &AT(a, lda, 0, k);
    int l = idamax(n - k, col_k + k) + k;
    ipvt[k] = l;
    if (col_k[l] == 0.0) {
      info = k + 1;
      continue;
    }
    if (l != k) {
      double t = col_k[l];
      col_k[l] = col_k[k];
      col_k[k] = t;
    }
    ops->dscal(n - k - 1, -1.0 / col_k[k], col_k + k + 1);
    for (int j = k + 1; j < n; j++) {
      double *col_j = &AT(a, lda, 0, j);
      double t = col_j[l];
      if (l != k) {
        col_j[l] = col_j[k];
        col_j[k] = t;
      }
      ops->daxpy(n - k - 1, t, col_k + k + 1, col_j + k + 1);
    }
  }
  ipvt[n - 1] = n - 1;
  if (AT(a, lda, n - 1, n - 1) == 0.0) info = n;
  return info;
}

/* Solves A x = b (transposed == 0) or A^T x = b with the factors from dgefa; b becomes x. */
static void dgesl(const double *a, int lda, int n, const int *ipvt, double *b, int transposed, const blas_ops *ops) {
  if (!transposed) {
    for (int k = 0; k < n - 1; k++) { /* L y = b */
      int l = ipvt[k];
      double t = b[l];
      if (l != k) {
        b[l] = b[k];
        b[k] = t;
      }
      ops->daxpy(n - k - 1, t, &AT(a, lda, k + 1, k), &b[k + 1]);
    }
    for (int k = n - 1; k >= 0; k--) { /* U x = y */
      b[k] /= AT(a, lda, k, k);
      ops->daxpy(k, -b[k], &AT(a, lda, 0, k), &b[0]);
    }
    return;
  }
  for (int k = 0; k < n; k++) { /* U^T y = b */
    double t = ops->ddot(k, &AT(a, lda, 0, k), &b[0]);
    b[k] = (b[k] - t) / AT(a, lda, k, k);
  }
  for (int k = n - 2; k >= 0; k--) { /* L^T x = y */
    b[k] += ops->ddot(n - k - 1, &AT(a, lda, k + 1, k), &b[k + 1]);
    int l = ipvt[k];
    if (l != k) {
      double t = b[l];
      b[l] = b[k];
      b[k] = t;
    }
  }
}

/* Normalised residual of x for A x = b (or A^T x = b): max|r| / (n * max|A| * max|x| * eps). */
static double normalised_residual(const double *a, int lda, int n, const double *x, const double *b, int transposed,
                                  double norma) {
  double resid = 0.0, normx = 0.0;
  for (int i = 0; i < n; i++) {
    double r = -b[i];
    for (int j = 0; j < n; j++) r += (transposed ? AT(a, lda, j, i) : AT(a, lda, i, j)) * x[j];
    if (fabs(r) > resid) resid = fabs(r);
    if (fabs(x[i]) > normx) normx = fabs(x[i]);
  }
  return resid / ((double)n * norma * normx * DBL_EPSILON);
}

int main(int argc, char **argv) {
  long long size = 0;
  double seconds = 0;
  const char *variant = "unrolled";
  bench_flag flags[] = {
      {"size", FLAG_INT, &size, 1, 4, 4000, "array size (leading dimension); n = size/2", 0},
      {"seconds", FLAG_DOUBLE, &seconds, 1, 0.001, 3600, "minimum seconds of the timed part", 0},
      {"variant", FLAG_STRING, &variant, 0, 0, 0, "rolled | unrolled BLAS loops (default unrolled)", 0},
  };
  const size_t nflags = sizeof flags / sizeof flags[0];
  bench_parse_flags(argc, argv, flags, nflags, PROG, SUMMARY);
  const blas_ops *ops = NULL;
  if (strcmp(variant, "rolled") == 0) ops = &ROLLED;
  if (strcmp(variant, "unrolled") == 0) ops = &UNROLLED;
  if (ops == NULL) bench_usage_error(PROG, SUMMARY, flags, nflags, "--variant must be rolled or unrolled");

  const int lda = (int)size, n = (int)(size / 2);
  double *a = malloc(sizeof(double) * (size_t)lda * (size_t)n);
  double *b = malloc(sizeof(double) * (size_t)n);
  double *x = malloc(sizeof(double) * (size_t)n);
  int *ipvt = malloc(sizeof(int) * (size_t)n);
  if (!a || !b || !x || !ipvt) {
    bench_progress(PROG, "error: out of memory for n=%d", n);
    return BENCH_EXIT_FAILED;
  }
  const double flops = 2.0 * n * (double)n * n / 3.0 + 2.0 * (double)n * n;
  bench_progress(PROG, "n=%d lda=%d variant=%s, %.0f flops per repetition", n, lda, ops->name, flops);

  double timed = 0.0;
  long long reps = 1;
  for (;;) {
    timed = 0.0;
    for (long long r = 0; r < reps; r++) {
      matgen(a, lda, n, b);
      double t0 = bench_now();
      if (dgefa(a, lda, n, ipvt, ops) != 0) {
        bench_progress(PROG, "error: matrix is singular");
        return BENCH_EXIT_FAILED;
      }
      dgesl(a, lda, n, ipvt, b, 0, ops);
      timed += bench_now() - t0;
    }
    bench_progress(PROG, "%lld repetitions in %.4f s", reps, timed);
    if (timed >= seconds) break;
    reps *= 2;
  }

  /* Check the last solution of A x = b, then a transposed solve A^T x = A^T 1 (which uses ddot). */
  memcpy(x, b, sizeof(double) * (size_t)n);
  double norma = matgen(a, lda, n, b);
  double residual = normalised_residual(a, lda, n, x, b, 0, norma);
  column_sums(a, lda, n, x);
  dgefa(a, lda, n, ipvt, ops);
  dgesl(a, lda, n, ipvt, x, 1, ops);
  matgen(a, lda, n, b);
  column_sums(a, lda, n, b);
  double residual_t = normalised_residual(a, lda, n, x, b, 1, norma);
  bench_progress(PROG, "normalised residual %.3f (transposed solve %.3f)", residual, residual_t);
  if (!(residual < RESIDUAL_LIMIT) || !(residual_t < RESIDUAL_LIMIT)) {
    bench_progress(PROG, "error: residual above %.0f: the solution is wrong", RESIDUAL_LIMIT);
    return BENCH_EXIT_FAILED;
  }

  double kflops = flops * (double)reps / timed / 1000.0;
  bench_progress(PROG, "%.0f KFLOPS", kflops);
  bench_json metrics = {0}, params = {0};
  bench_json_num(&metrics, "kflops", kflops);
  bench_json_num(&metrics, "residual", residual);
  bench_json_num(&metrics, "seconds", timed);
  bench_json_int(&metrics, "reps", reps);
  bench_json_int(&params, "size", size);
  bench_json_num(&params, "seconds", seconds);
  bench_json_int(&params, "n", n);
  bench_json_str(&params, "variant", ops->name);
  bench_emit(PROG, &metrics, &params);
  free(a);
  free(b);
  free(x);
  free(ipvt);
  return BENCH_EXIT_OK;
}
