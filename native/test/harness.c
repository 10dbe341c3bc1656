/* Checks the kernels (GEMM, elementwise ops and sums, softmax) against naive loops on random
 * shapes, strides, offsets and batch broadcasting, on every ISA this CPU has and on 1 and several
 * threads. Built with -fsanitize=address,undefined by test/backend/native-sanitize.test.ts;
 * `harness bench N` prints single-call GFLOP/s instead. */
#define _POSIX_C_SOURCE 199309L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../src/elementwise.h"
#include "../src/gemm.h"
#include "../src/pool.h"
#include "../src/softmax.h"

static uint64_t rng = 88172645463325252ull;
static int64_t rnd(int64_t n) { /* xorshift: uniform-ish in [0, n) */
  rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
  return (int64_t)(rng % (uint64_t)n);
}

static int failures = 0;

/* A random layout for an r x c matrix inside a buffer: transposed or not, padded, offset. */
static void layout(int64_t r, int64_t c, int64_t *off, int64_t *sr, int64_t *sc) {
  int64_t pad = rnd(3);
  *off = rnd(4);
  if (rnd(2)) *sr = c + pad, *sc = 1;
  else *sr = 1, *sc = r + pad;
}

static void check_gemm_f32(void) {
  static const int64_t sizes[] = {1, 3, 5, 17, 63, 65, 129};
  gemm_desc d = {0};
  d.m = sizes[rnd(7)], d.n = sizes[rnd(7)], d.k = rnd(5) == 0 ? 0 : sizes[rnd(7)];
  layout(d.m, d.k, &d.a_off, &d.sam, &d.sak);
  layout(d.k, d.n, &d.b_off, &d.sbk, &d.sbn);
  d.batch_dims = (int)rnd(3);
  int64_t amat = d.a_off + (d.m + 2) * (d.k + 2), bmat = d.b_off + (d.k + 2) * (d.n + 2);
  int64_t asz = amat, bsz = bmat;
  for (int i = d.batch_dims - 1; i >= 0; i--) {
    d.batch_shape[i] = 1 + rnd(3);
    d.a_bstride[i] = rnd(3) == 0 ? 0 : asz; /* 0 = broadcast */
    d.b_bstride[i] = rnd(3) == 0 ? 0 : bsz;
    asz += (d.batch_shape[i] - 1) * d.a_bstride[i];
    bsz += (d.batch_shape[i] - 1) * d.b_bstride[i];
  }
  int64_t batches = gemm_batches(&d);
  /* Exact-size buffers so ASan catches any read past the views' extents. */
  float *a = malloc(sizeof(float) * (gemm_a_extent(&d) + 1 > 0 ? gemm_a_extent(&d) + 1 : 1));
  float *b = malloc(sizeof(float) * (gemm_b_extent(&d) + 1 > 0 ? gemm_b_extent(&d) + 1 : 1));
  float *c = malloc(sizeof(float) * (batches * d.m * d.n + 1));
  int64_t an = gemm_a_extent(&d) + 1, bn = gemm_b_extent(&d) + 1;
  for (int64_t i = 0; i < an; i++) a[i] = (float)(rnd(2001) - 1000) / 1000.0f;
  for (int64_t i = 0; i < bn; i++) b[i] = (float)(rnd(2001) - 1000) / 1000.0f;
  gemm_f32(a, b, c, &d);
  for (int64_t t = 0; t < batches; t++) {
    int64_t oa = d.a_off, ob = d.b_off, rest = t;
    for (int i = d.batch_dims - 1; i >= 0; i--) {
      oa += (rest % d.batch_shape[i]) * d.a_bstride[i];
      ob += (rest % d.batch_shape[i]) * d.b_bstride[i];
      rest /= d.batch_shape[i];
    }
    for (int64_t i = 0; i < d.m; i++)
      for (int64_t j = 0; j < d.n; j++) {
        double s = 0;
        for (int64_t p = 0; p < d.k; p++) s += (double)a[oa + i * d.sam + p * d.sak] * b[ob + p * d.sbk + j * d.sbn];
        float got = c[(t * d.m + i) * d.n + j];
        if (fabs(got - s) > 1e-4 * (1 + fabs(s))) {
          if (failures++ < 5)
            fprintf(stderr, "gemm m=%ld n=%ld k=%ld batch %ld (%ld,%ld): %g != %g\n", (long)d.m, (long)d.n,
                    (long)d.k, (long)t, (long)i, (long)j, got, s);
        }
      }
  }
  free(a), free(b), free(c);
}

static void check_elementwise(void) {
  int64_t n = 1 + rnd(300000);
  float *x = malloc(n * sizeof(float)), *y = malloc(n * sizeof(float)), *o = malloc(n * sizeof(float));
  for (int64_t i = 0; i < n; i++) x[i] = (float)(rnd(2001) - 1000) / 100.0f, y[i] = 1 + (float)rnd(1000) / 10.0f;
  for (int op = 0; op < EW_BINARY_COUNT; op++) {
    ew_binary_f32(op, x, y, o, n);
    for (int64_t i = 0; i < n; i++) {
      float e = op == 0 ? x[i] + y[i] : op == 1 ? x[i] - y[i] : op == 2 ? x[i] * y[i] : x[i] / y[i];
      if (o[i] != e && failures++ < 5) fprintf(stderr, "binary %d at %ld\n", op, (long)i);
    }
  }
  for (int op = 0; op < EW_UNARY_COUNT; op++) {
    ew_unary_f32(op, x, o, n);
    for (int64_t i = 0; i < n; i++) {
      double v = x[i];
      double e = op == EW_EXP       ? exp(v)
                 : op == EW_SIGMOID ? 1 / (1 + exp(-v))
                 : op == EW_TANH    ? tanh(v)
                 : op == EW_SQRT    ? sqrt(v)
                 : op == EW_ERF     ? erf(v)
                 : op == EW_NEG     ? -v
                 : op == EW_RSQRT   ? 1 / sqrt(v)
                 : op == EW_RECIPROCAL ? 1 / v
                                    : (v > 0 ? v : 0);
      if (isnan(e) ? !isnan(o[i]) : fabs(o[i] - e) > 1e-5 * (1 + fabs(e)))
        if (failures++ < 5) fprintf(stderr, "unary %d at %ld\n", op, (long)i);
    }
  }
  ew_binary_f32(EW_RELU_GRAD, y, x, o, n); /* gradient y where x > 0 */
  for (int64_t i = 0; i < n; i++)
    if (o[i] != (x[i] <= 0 ? 0.0f : y[i]) && failures++ < 5) fprintf(stderr, "reluGrad at %ld\n", (long)i);
  { /* extrema of rows and columns of x as a [rows, n / rows] matrix, with ties and a NaN */
    int64_t rows = 1 + rnd(20), cols = n / rows;
    float *vals = malloc((size_t)(rows > cols ? rows : cols) * sizeof(float) + 4);
    int32_t *idx = malloc((size_t)(rows > cols ? rows : cols) * sizeof(int32_t) + 4);
    float saved = x[0];
    if (rnd(2)) x[rnd(rows * cols > 0 ? rows * cols : 1)] = NAN;
    for (int along = 0; along <= 1; along++)
      for (int want_max = 0; want_max <= 1; want_max++) {
        ew_extreme_f32(want_max, x, rows, cols, along, vals, idx);
        int64_t outer = along ? rows : cols, inner = along ? cols : rows;
        for (int64_t i = 0; i < outer; i++) {
          float acc = NAN;
          int64_t best = 0;
          for (int64_t j = 0; j < inner; j++) {
            float v = along ? x[i * cols + j] : x[j * cols + i];
            if (j == 0 || v != v || (want_max ? v > acc : v < acc)) acc = v, best = j;
            if (v != v) break;
          }
          int same = (acc != acc) ? (vals[i] != vals[i]) : vals[i] == acc;
          if ((!same || idx[i] != best) && failures++ < 5)
            fprintf(stderr, "extreme %d/%d at %ld\n", along, want_max, (long)i);
        }
      }
    for (int64_t i = 0; i < rows * cols; i++) if (x[i] != x[i]) x[i] = saved;
    free(vals), free(idx);
  }
  ew_add_scaled_f32(x, y, -0.01f, o, n);
  for (int64_t i = 0; i < n; i++) {
    double e = (double)x[i] - 0.01 * (double)y[i];
    if (fabs(o[i] - e) > 1e-6 * (1 + fabs(e)) && failures++ < 5) fprintf(stderr, "addScaled at %ld\n", (long)i);
  }
  int64_t rows = 1 + rnd(50), cols = 1 + rnd(5000);
  float *m = malloc(rows * cols * sizeof(float)), *r = malloc(rows * sizeof(float)), *cs = malloc(cols * sizeof(float));
  for (int64_t i = 0; i < rows * cols; i++) m[i] = (float)(rnd(2001) - 1000) / 1000.0f;
  ew_sum_rows_f32(m, r, rows, cols);
  ew_sum_cols_f32(m, cs, rows, cols);
  for (int64_t i = 0; i < rows; i++) {
    double s = 0;
    for (int64_t j = 0; j < cols; j++) s += m[i * cols + j];
    if (fabs(r[i] - s) > 1e-4 && failures++ < 5) fprintf(stderr, "sum rows %ld\n", (long)i);
  }
  for (int64_t j = 0; j < cols; j++) {
    double s = 0;
    for (int64_t i = 0; i < rows; i++) s += m[i * cols + j];
    if (fabs(cs[j] - s) > 1e-4 && failures++ < 5) fprintf(stderr, "sum cols %ld\n", (long)j);
  }
  free(x), free(y), free(o), free(m), free(r), free(cs);
}

/* Softmax and log-softmax of a random [outer, size, inner] view (long rows, or a dim with many
 * rows along inner; dense, or the three dims in any order in memory with padding) against a
 * naive double loop, in an exactly-sized input buffer and output. Some -inf and NaN elements:
 * rows holding NaN, or only -inf, must come out NaN. */
static void check_softmax(void) {
  static const int perm[6][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
  softmax_desc d;
  int rows = (int)rnd(2);
  d.outer = 1 + rnd(rows ? 9 : 3);
  d.size = 1 + rnd(rows ? 1100 : 17);
  d.inner = rows ? 1 : 1 + rnd(300);
  int64_t dims[3] = {d.outer, d.size, d.inner}, st[3], step = 1, off = rnd(4);
  int order = rnd(2) ? 0 : (int)rnd(6), padded = (int)rnd(2);
  for (int q = 2; q >= 0; q--) {
    int a = perm[order][q];
    st[a] = step;
    step *= dims[a] + (padded ? rnd(3) : 0);
  }
  d.so = st[0], d.ss = st[1], d.si = st[2];
  int64_t extent = off + (d.outer - 1) * d.so + (d.size - 1) * d.ss + (d.inner - 1) * d.si + 1;
  int64_t n = d.outer * d.size * d.inner;
  float *x = malloc(extent * sizeof(float)), *o = malloc(n * sizeof(float));
  for (int64_t i = 0; i < extent; i++) {
    int64_t r = rnd(1000);
    x[i] = r < 20 ? -INFINITY : r == 20 ? NAN : (float)(rnd(2001) - 1000) / 50.0f;
  }
  for (int take_log = 0; take_log <= 1; take_log++) {
    softmax_f32(take_log, x + off, o, &d);
    for (int64_t a = 0; a < d.outer; a++)
      for (int64_t j = 0; j < d.inner; j++) {
        const float *row = x + off + a * d.so + j * d.si;
        double m = -INFINITY, s = 0;
        for (int64_t k = 0; k < d.size; k++) m = row[k * d.ss] > m ? row[k * d.ss] : m;
        for (int64_t k = 0; k < d.size; k++) s += exp(row[k * d.ss] - m);
        for (int64_t k = 0; k < d.size; k++) {
          double v = row[k * d.ss] - m, e = take_log ? v - log(s) : exp(v) / s;
          float got = o[(a * d.size + k) * d.inner + j];
          int ok = isnan(e) ? isnan(got) : isinf(e) ? got == e : fabs(got - e) <= 1e-6 * fabs(e) + 1e-12;
          if (!ok && failures++ < 5)
            fprintf(stderr, "softmax log=%d [%ld, %ld, %ld] strides (%ld, %ld, %ld) at (%ld, %ld, %ld): %g != %g\n",
                    take_log, (long)d.outer, (long)d.size, (long)d.inner, (long)d.so, (long)d.ss, (long)d.si,
                    (long)a, (long)k, (long)j, got, e);
        }
      }
  }
  free(x), free(o);
}

/* Sums over a random set of dims of a random dense tensor (up to 5 dims, some of size 1 or 0)
 * against a naive double loop over the reduced dims in row-major order: the same bits. */
static void check_sum_dims(void) {
  int nd = 1 + (int)rnd(5), reduced[5] = {0};
  int64_t shape[5], total = 1, outn = 1;
  for (int d = 0; d < nd; d++) {
    int64_t r = rnd(20);
    shape[d] = r == 0 ? 0 : r < 4 ? 1 : 1 + rnd(nd > 3 ? 9 : 40);
    reduced[d] = (int)rnd(2);
    total *= shape[d];
  }
  reduced[rnd(nd)] = 1;
  for (int d = 0; d < nd; d++) if (!reduced[d]) outn *= shape[d];
  float *x = malloc((total ? total : 1) * sizeof(float)), *o = malloc((outn ? outn : 1) * sizeof(float));
  for (int64_t i = 0; i < total; i++) x[i] = (float)(rnd(2001) - 1000) / 997.0f;
  if (!ew_sum_dims_f32(x, o, nd, shape, reduced) && failures++ < 5) fprintf(stderr, "sum dims failed\n");
  int64_t st[5], s = 1;
  for (int d = nd - 1; d >= 0; d--) st[d] = s, s *= shape[d];
  for (int64_t k = 0; k < outn; k++) {
    /* The output's kept index, then every reduced position in row-major order. */
    int64_t base = 0, rem = k, nred = 1;
    for (int d = nd - 1; d >= 0; d--)
      if (!reduced[d]) base += (rem % shape[d]) * st[d], rem /= shape[d];
      else nred *= shape[d];
    double acc = 0;
    for (int64_t r = 0; r < nred; r++) {
      int64_t off = base, q = r;
      for (int d = nd - 1; d >= 0; d--)
        if (reduced[d]) off += (q % shape[d]) * st[d], q /= shape[d];
      acc += x[off];
    }
    if (o[k] != (float)acc && failures++ < 5) fprintf(stderr, "sum dims nd=%d at %ld\n", nd, (long)k);
  }
  free(x), free(o);
}

/* A strided copy from a permuted, possibly reversed view of an exactly-sized buffer into a dense
 * one, against a naive index walk. */
static void check_copy(void) {
  int nd = 1 + (int)rnd(4);
  int64_t shape[4], st[4], dst[4], total = 1, off = 0;
  for (int d = 0; d < nd; d++) shape[d] = 1 + rnd(9), total *= shape[d];
  int64_t step = 1;
  for (int d = 0; d < nd; d++) { /* dims laid out in reverse order: a transpose */
    st[d] = rnd(3) == 0 ? -step : step;
    if (st[d] < 0) off += (shape[d] - 1) * step;
    step *= shape[d];
  }
  step = 1;
  for (int d = nd - 1; d >= 0; d--) dst[d] = step, step *= shape[d];
  uint32_t *x = malloc(total * sizeof(uint32_t)), *o = malloc(total * sizeof(uint32_t));
  for (int64_t i = 0; i < total; i++) x[i] = (uint32_t)rnd(1 << 30);
  ew_copy_strided_u32(x + off, o, nd, shape, st, dst);
  for (int64_t k = 0; k < total; k++) {
    int64_t rem = k, so = off;
    for (int d = nd - 1; d >= 0; d--) so += (rem % shape[d]) * st[d], rem /= shape[d];
    if (o[k] != x[so] && failures++ < 5) fprintf(stderr, "copy nd=%d at %ld\n", nd, (long)k);
  }
  free(x), free(o);
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* `harness bench-w3 [threads]`: the eight products of one W3 training step (784-256-128-10 MLP,
 * batch 128: forward x·Wᵀ, backward g·W and gᵀ·x), best of 7 batches of 50 ms each. */
static int bench_w3(int threads) {
  static const struct {
    const char *layout;
    int64_t m, k, n;
  } shapes[] = {{"NT", 128, 784, 256}, {"NT", 128, 256, 128}, {"NT", 128, 128, 10},
                {"NN", 128, 10, 128},  {"NN", 128, 128, 256}, {"TN", 10, 128, 128},
                {"TN", 128, 128, 256}, {"TN", 256, 128, 784}};
  pool_set_threads(threads);
  double total = 0;
  for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
    gemm_desc d = {0};
    d.m = shapes[i].m, d.k = shapes[i].k, d.n = shapes[i].n;
    if (shapes[i].layout[0] == 'T') d.sam = 1, d.sak = d.m;
    else d.sam = d.k, d.sak = 1;
    if (shapes[i].layout[1] == 'T') d.sbk = 1, d.sbn = d.k;
    else d.sbk = d.n, d.sbn = 1;
    float *a = calloc(d.m * d.k, 4), *b = calloc(d.k * d.n, 4), *c = calloc(d.m * d.n, 4);
    double best = 1e9;
    for (int rep = 0; rep < 7; rep++) {
      double t0 = now();
      int iters = 0;
      while (now() - t0 < 0.05) gemm_f32(a, b, c, &d), iters++;
      double t = (now() - t0) / iters;
      if (t < best) best = t;
    }
    total += best;
    printf("%s m=%ld k=%ld n=%ld %.1f us %.1f GFLOP/s\n", shapes[i].layout, (long)d.m, (long)d.k,
           (long)d.n, best * 1e6, 2.0 * d.m * d.n * d.k / best / 1e9);
    free(a), free(b), free(c);
  }
  printf("%s, %d thread(s): one step's products %.1f us\n", gemm_isa_name(gemm_current_isa()), threads,
         total * 1e6);
  return 0;
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "bench-w3") == 0) return bench_w3(argc > 2 ? atoi(argv[2]) : 1);
  if (argc > 2 && strcmp(argv[1], "bench") == 0) {
    int64_t n = atoll(argv[2]);
    gemm_desc d = {0};
    d.m = d.n = d.k = n, d.sam = n, d.sak = 1, d.sbk = n, d.sbn = 1;
    if (argc > 3 && strchr(argv[3], 'a')) d.sam = 1, d.sak = n;
    if (argc > 3 && strchr(argv[3], 'b')) d.sbk = 1, d.sbn = n;
    if (argc > 4) pool_set_threads(atoi(argv[4]));
    float *a = calloc(n * n, 4), *b = calloc(n * n, 4), *c = calloc(n * n, 4);
    for (int rep = 0; rep < 7; rep++) {
      double t0 = now();
      int iters = 0;
      while (now() - t0 < 0.3) gemm_f32(a, b, c, &d), iters++;
      printf("%s n=%ld %.1f GFLOP/s\n", gemm_isa_name(gemm_current_isa()), (long)n, 2.0 * n * n * n * iters / (now() - t0) / 1e9);
    }
    return 0;
  }
  for (int isa = gemm_best_isa(); isa >= 0; isa--) {
    gemm_force_isa((gemm_isa)isa);
    for (int threads = 1; threads <= 3; threads += 2) {
      pool_set_threads(threads);
      pool_set_eager(threads > 1); /* thread even the small cases */
      for (int i = 0; i < 60; i++) check_gemm_f32();
      check_elementwise();
      for (int i = 0; i < 40; i++) check_sum_dims();
      for (int i = 0; i < 20; i++) check_copy();
      for (int i = 0; i < 20; i++) check_softmax();
    }
    printf("%s: %s\n", gemm_isa_name((gemm_isa)isa), failures ? "FAIL" : "ok");
  }
  pool_set_threads(1);
  return failures ? 1 : 0;
}
