#include "elementwise.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gemm.h" /* the ISA in use */
#include "pool.h"

/* Work is cut into chunks of this many elements; one thread gets at least GRAIN elements
 * (cheap ops are memory-bound, so threads only pay off on large arrays). */
#define CHUNK 16384
#define GRAIN_CHEAP 65536.0
#define GRAIN_TRANSCENDENTAL 8192.0

/* One elementwise call, cut into CHUNK-sized tasks: a and b (periods pa and pb for the broadcast
 * ops), alpha for add_scaled; out is float, or bytes for comparisons. */
typedef struct {
  int op;
  const float *a, *b;
  int64_t pa, pb;
  /* Broadcast ops: each element of a's period repeats ra times (b: rb), so out[i] reads
   * a[(i / ra) % pa]: 1 for a dense or repeated-row operand, > 1 for one broadcast along its
   * trailing dims (LayerNorm's [B, T, 1] statistics, a conv bias [1, C, 1, 1]). */
  int64_t ra, rb;
  float alpha;
  void *out;
  int64_t n;
} ew_job;

/* Runs task over j's chunks, on as many threads as `grain` elements each justify. */
static void run_chunks(ew_job *j, double grain, pool_task_fn task) {
  pool_run((j->n + CHUNK - 1) / CHUNK, pool_threads_for((double)j->n, grain), task, j);
}

/* The first element of chunk t, and the number of elements in it. */
static int64_t chunk_start(int64_t t) { return t * CHUNK; }
static int64_t chunk_len(const ew_job *j, int64_t t) {
  return j->n - t * CHUNK < CHUNK ? j->n - t * CHUNK : CHUNK;
}

/* Where operand (p, r) is at position `at`: its index, whether it stays constant over the run
 * (a scalar, or an element repeated r > 1 times), and how long before its index wraps or moves. */
static int64_t operand_at(int64_t at, int64_t p, int64_t r, int64_t *idx, int *constant) {
  if (r > 1) {
    *idx = (at / r) % p, *constant = 1;
    return r - at % r;
  }
  if (p == 1) {
    *idx = 0, *constant = 1;
    return INT64_MAX;
  }
  *idx = at % p, *constant = 0;
  return p - *idx;
}

/* From position `at` (< e), the length of the run in which neither operand's index wraps (or,
 * for a repeated element, moves on), where each starts and whether each is constant over it. */
static int64_t next_run(int64_t at, int64_t e, const ew_job *j, int64_t *ia, int64_t *ib, int *ca,
                        int *cb) {
  int64_t len = e - at;
  int64_t la = operand_at(at, j->pa, j->ra, ia, ca), lb = operand_at(at, j->pb, j->rb, ib, cb);
  if (la < len) len = la;
  if (lb < len) len = lb;
  return len;
}

/* No `restrict`: out may be one of the inputs (same index), which stays correct. */
static void binary_range(int op, const float *a, const float *b, float *o, int64_t n) {
  switch (op) {
    case EW_ADD: for (int64_t i = 0; i < n; i++) o[i] = a[i] + b[i]; break;
    case EW_SUB: for (int64_t i = 0; i < n; i++) o[i] = a[i] - b[i]; break;
    case EW_MUL: for (int64_t i = 0; i < n; i++) o[i] = a[i] * b[i]; break;
    case EW_RELU_GRAD: /* both loads unconditional, so the select vectorizes */
      for (int64_t i = 0; i < n; i++) {
        float g = a[i], y = b[i];
        o[i] = y <= 0 ? 0.0f : g;
      }
      break;
    default: for (int64_t i = 0; i < n; i++) o[i] = a[i] / b[i]; break;
  }
}

/* erf in double, W. J. Cody's rational approximations with the coefficients and the evaluation
 * order of the reference backend's erf (src/backend/reference/scalar-math.ts), without FMA
 * contraction, so the double results agree but for exp()'s last bit, and the float results
 * agree. */
#if defined(__GNUC__) && !defined(__clang__)
#define NO_FP_CONTRACT __attribute__((optimize("fp-contract=off")))
#else
#define NO_FP_CONTRACT
#endif
NO_FP_CONTRACT static double erf_cody(double x) {
#if defined(__clang__)
#pragma clang fp contract(off)
#endif
  if (x != x) return x;
  double ax = fabs(x);
  if (ax < 0.5) {
    double t = x * x;
    double p = (((0.185777706184603153 * t + 3.1611237438705656) * t + 113.864154151050156) * t +
                377.485237685302021) * t + 3209.37758913846947;
    double q = (((t + 23.6012909523441209) * t + 244.024637934444173) * t + 1282.61652607737228) * t +
               2844.23683343917062;
    return (x * p) / q;
  }
  double sign = x < 0 ? -1.0 : 1.0;
  if (ax >= 6) return sign;
  double erfc;
  if (ax < 4) {
    double p = (((((((2.15311535474403846e-8 * ax + 0.564188496988670089) * ax + 8.88314979438837594) * ax +
                    66.1191906371416295) * ax + 298.635138197400131) * ax + 881.95222124176909) * ax +
                 1712.04761263407058) * ax + 2051.07837782607147) * ax + 1230.33935479799725;
    double q = (((((((ax + 15.7449261107098347) * ax + 117.693950891312499) * ax + 537.181101862009858) * ax +
                    1621.38957456669019) * ax + 3290.79923573345963) * ax + 4362.61909014324716) * ax +
                 3439.36767414372164) * ax + 1230.33935480374942;
    erfc = exp(-ax * ax) * (p / q);
  } else {
    double z = 1 / (ax * ax);
    double p = ((((0.0163153871373020978 * z + 0.305326634961232344) * z + 0.360344899949804439) * z +
                 0.125781726111229246) * z + 0.0160837851487422766) * z + 6.58749161529837803e-4;
    double q = ((((z + 2.56852019228982242) * z + 1.87295284992346725) * z + 0.527905102951428412) * z +
                 0.0605183413124413191) * z + 2.33520497626869185e-3;
    erfc = (exp(-ax * ax) / ax) * (0.564189583547756287 - (z * p) / q);
  }
  return sign * (1 - erfc);
}

/* Computed in double and rounded once, as the reference backend does with Math.exp etc., so
 * results agree to the last bit or nearly. */
static void unary_range(int op, const float *x, float *o, int64_t n) {
  switch (op) {
    case EW_EXP: for (int64_t i = 0; i < n; i++) o[i] = (float)exp((double)x[i]); break;
    case EW_SIGMOID:
      for (int64_t i = 0; i < n; i++) o[i] = (float)(1.0 / (1.0 + exp(-(double)x[i])));
      break;
    case EW_TANH: for (int64_t i = 0; i < n; i++) o[i] = (float)tanh((double)x[i]); break;
    /* sqrtf is correctly rounded, as is the reference's Math.sqrt rounded to float32 (a double
     * square root of a float rounds to the same float): the same bits (Adam's denominator). */
    case EW_SQRT: for (int64_t i = 0; i < n; i++) o[i] = sqrtf(x[i]); break;
    case EW_ERF: for (int64_t i = 0; i < n; i++) o[i] = (float)erf_cody((double)x[i]); break;
    case EW_NEG: for (int64_t i = 0; i < n; i++) o[i] = -x[i]; break;
    /* One correctly rounded double division (and square root), then to float: the reference's
     * 1 / Math.sqrt(x) and 1 / x rounded to float32, the same bits. */
    case EW_RSQRT: for (int64_t i = 0; i < n; i++) o[i] = (float)(1.0 / sqrt((double)x[i])); break;
    case EW_RECIPROCAL: for (int64_t i = 0; i < n; i++) o[i] = (float)(1.0 / (double)x[i]); break;
    default: /* relu: NaN stays NaN, as in PyTorch */
      for (int64_t i = 0; i < n; i++) o[i] = x[i] > 0 || x[i] != x[i] ? x[i] : 0.0f;
      break;
  }
}

/* One op over out[i] = a[i % pa] op b[i % pb] for i in [s, e): each operand either dense (its
 * period is n), a repeated row (bias add: period = row length) or a scalar (period 1). Split into
 * runs where neither index wraps, so each run is a plain vector loop. */
#define EW_LOOP(EXPR)                                                                         \
  switch (op) {                                                                             \
    case EW_ADD: { _Pragma("GCC ivdep") for (int64_t i = 0; i < len; i++) o[i] = EXPR(+); } break; \
    case EW_SUB: { _Pragma("GCC ivdep") for (int64_t i = 0; i < len; i++) o[i] = EXPR(-); } break; \
    case EW_MUL: { _Pragma("GCC ivdep") for (int64_t i = 0; i < len; i++) o[i] = EXPR(*); } break; \
    default: { _Pragma("GCC ivdep") for (int64_t i = 0; i < len; i++) o[i] = EXPR(/); } break;     \
  }
#define VV(OP) (x[i] OP y[i])
#define SV(OP) (xs OP y[i])
#define VS(OP) (x[i] OP ys)

static void bcast_range(const ew_job *j, int64_t s, int64_t e) {
  const int op = j->op;
  float *out = j->out;
  for (int64_t at = s, ia, ib, len; at < e; at += len) {
    int ca, cb;
    len = next_run(at, e, j, &ia, &ib, &ca, &cb);
    const float *x = j->a + ia, *y = j->b + ib;
    float *o = out + at;
    if (ca && cb) {
      float xs = x[0], ys = y[0];
      for (int64_t i = 0; i < len; i++) o[i] = op == EW_ADD ? xs + ys : op == EW_SUB ? xs - ys : op == EW_MUL ? xs * ys : xs / ys;
    } else if (ca) {
      float xs = x[0];
      EW_LOOP(SV)
    } else if (cb) {
      float ys = y[0];
      EW_LOOP(VS)
    } else {
      EW_LOOP(VV)
    }
  }
}

#define CMP_LOOP(EXPR)                                                                   \
  switch (op) {                                                                          \
    case EW_EQ: for (int64_t i = 0; i < len; i++) o[i] = EXPR(==); break;               \
    case EW_NE: for (int64_t i = 0; i < len; i++) o[i] = EXPR(!=); break;               \
    case EW_LT: for (int64_t i = 0; i < len; i++) o[i] = EXPR(<); break;                \
    case EW_LE: for (int64_t i = 0; i < len; i++) o[i] = EXPR(<=); break;               \
    case EW_GT: for (int64_t i = 0; i < len; i++) o[i] = EXPR(>); break;                \
    default: for (int64_t i = 0; i < len; i++) o[i] = EXPR(>=); break;                  \
  }

static void compare_range(const ew_job *j, int64_t s, int64_t e) {
  const int op = j->op;
  uint8_t *out = j->out;
  for (int64_t at = s, ia, ib, len; at < e; at += len) {
    int ca, cb;
    len = next_run(at, e, j, &ia, &ib, &ca, &cb);
    const float *x = j->a + ia, *y = j->b + ib;
    uint8_t *o = out + at;
    if (ca) {
      float xs = x[0];
      if (cb) {
        float ys = y[0];
#define SS(OP) (uint8_t)(xs OP ys)
        CMP_LOOP(SS)
#undef SS
      } else {
        CMP_LOOP(SV)
      }
    } else if (cb) {
      float ys = y[0];
      CMP_LOOP(VS)
    } else {
      CMP_LOOP(VV)
    }
  }
}

/* Broadcast arithmetic and comparisons share a job; the op code tells which output type. */
static void bcast_task(void *ctx, int64_t t) {
  const ew_job *j = ctx;
  int64_t s = chunk_start(t), e = s + chunk_len(j, t);
  if (j->op >= EW_BINARY_COUNT) compare_range(j, s, e);
  else bcast_range(j, s, e);
}

void ew_binary_bcast_f32(int op, const float *a, int64_t pa, int64_t ra, const float *b, int64_t pb,
                         int64_t rb, float *out, int64_t n) {
  ew_job j = {op, a, b, pa, pb, ra, rb, 0, out, n};
  run_chunks(&j, GRAIN_CHEAP, bcast_task);
}

void ew_compare_bcast_f32(int op, const float *a, int64_t pa, int64_t ra, const float *b, int64_t pb,
                          int64_t rb, uint8_t *out, int64_t n) {
  ew_job j = {op, a, b, pa, pb, ra, rb, 0, out, n};
  run_chunks(&j, GRAIN_CHEAP, bcast_task);
}

static void binary_task(void *ctx, int64_t t) {
  const ew_job *j = ctx;
  int64_t s = chunk_start(t);
  binary_range(j->op, j->a + s, j->b + s, (float *)j->out + s, chunk_len(j, t));
}

static void unary_task(void *ctx, int64_t t) {
  const ew_job *j = ctx;
  int64_t s = chunk_start(t);
  unary_range(j->op, j->a + s, (float *)j->out + s, chunk_len(j, t));
}

void ew_binary_f32(int op, const float *a, const float *b, float *out, int64_t n) {
  ew_job j = {op, a, b, n, n, 1, 1, 0, out, n};
  run_chunks(&j, GRAIN_CHEAP, binary_task);
}

void ew_unary_f32(int op, const float *x, float *out, int64_t n) {
  ew_job j = {op, x, NULL, n, n, 1, 1, 0, out, n};
  run_chunks(&j, op == EW_RELU || op == EW_SQRT || op == EW_NEG ? GRAIN_CHEAP : GRAIN_TRANSCENDENTAL,
             unary_task);
}

/* Portable: alpha * b is exact in double (24 + 24 bits) and the sum is rounded to double, then
 * to float: the reference backend's arithmetic, and a single rounding but in the rare double-
 * rounding case. */
static void add_scaled_double(const float *a, const float *b, float alpha, float *o, int64_t n) {
  const double s = alpha;
  for (int64_t i = 0; i < n; i++) o[i] = (float)((double)a[i] + s * (double)b[i]);
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
/* FMA: PyTorch's own kernel (vec::fmadd(other, alpha, self)), one rounding, 8 lanes: ~3x the
 * double path, which was compute-bound (0.28 ns an element; SGD's step on W3's 235k weights). */
__attribute__((target("avx2,fma"))) static void add_scaled_fma(const float *a, const float *b,
                                                               float alpha, float *o, int64_t n) {
  const __m256 s = _mm256_set1_ps(alpha);
  int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    _mm256_storeu_ps(o + i, _mm256_fmadd_ps(s, _mm256_loadu_ps(b + i), _mm256_loadu_ps(a + i)));
  for (; i < n; i++) o[i] = fmaf(alpha, b[i], a[i]);
}
#endif

static void add_scaled_range(const float *a, const float *b, float alpha, float *o, int64_t n) {
#if defined(__x86_64__) || defined(__i386__)
  if (gemm_current_isa() >= ISA_AVX2) {
    add_scaled_fma(a, b, alpha, o, n);
    return;
  }
#endif
  add_scaled_double(a, b, alpha, o, n);
}

static void add_scaled_task(void *ctx, int64_t t) {
  const ew_job *j = ctx;
  int64_t s = chunk_start(t);
  add_scaled_range(j->a + s, j->b + s, j->alpha, (float *)j->out + s, chunk_len(j, t));
}

void ew_add_scaled_f32(const float *a, const float *b, float alpha, float *out, int64_t n) {
  ew_job j = {0, a, b, n, n, 1, 1, alpha, out, n};
  run_chunks(&j, GRAIN_CHEAP, add_scaled_task);
}

typedef struct {
  const float *x;
  float *out;
  int64_t rows, cols, per;
} sum_job;

/* Rows [t*per, ...) each summed left to right in double. */
static void sum_rows_task(void *ctx, int64_t t) {
  const sum_job *j = ctx;
  int64_t r0 = t * j->per, r1 = r0 + j->per < j->rows ? r0 + j->per : j->rows;
  for (int64_t r = r0; r < r1; r++) {
    const float *row = j->x + r * j->cols;
    double s = 0;
    for (int64_t c = 0; c < j->cols; c++) s += row[c];
    j->out[r] = (float)s;
  }
}

/* Columns [t*per, ...): walk rows in order, adding each row's slice into double accumulators. */
static void sum_cols_task(void *ctx, int64_t t) {
  const sum_job *j = ctx;
  int64_t c0 = t * j->per, c1 = c0 + j->per < j->cols ? c0 + j->per : j->cols;
  double acc[256];
  for (int64_t cb = c0; cb < c1; cb += 256) {
    int64_t w = c1 - cb < 256 ? c1 - cb : 256;
    for (int64_t c = 0; c < w; c++) acc[c] = 0;
    for (int64_t r = 0; r < j->rows; r++) {
      const float *row = j->x + r * j->cols + cb;
      for (int64_t c = 0; c < w; c++) acc[c] += row[c];
    }
    for (int64_t c = 0; c < w; c++) j->out[cb + c] = (float)acc[c];
  }
}

void ew_sum_rows_f32(const float *x, float *out, int64_t rows, int64_t cols) {
  int threads = pool_threads_for((double)rows * cols, GRAIN_CHEAP);
  int64_t tasks = threads * 4 < rows ? threads * 4 : rows;
  if (tasks < 1) return;
  sum_job j = {x, out, rows, cols, (rows + tasks - 1) / tasks};
  pool_run((rows + j.per - 1) / j.per, threads, sum_rows_task, &j);
}

void ew_sum_cols_f32(const float *x, float *out, int64_t rows, int64_t cols) {
  int threads = pool_threads_for((double)rows * cols, GRAIN_CHEAP);
  int64_t tasks = threads * 4 < (cols + 255) / 256 ? threads * 4 : (cols + 255) / 256;
  if (tasks < 1) return;
  sum_job j = {x, out, rows, cols, (cols + tasks - 1) / tasks};
  pool_run((cols + j.per - 1) / j.per, threads, sum_cols_task, &j);
}

/* One scan: x[0], x[step], ... x[(n-1)*step]. */
static void extreme_scan(int want_max, const float *x, int64_t n, int64_t step, float *val,
                         int32_t *at) {
  float acc = NAN;
  int64_t best = 0;
  for (int64_t i = 0; i < n; i++) {
    float v = x[i * step];
    if (i == 0 || v != v || (want_max ? v > acc : v < acc)) acc = v, best = i;
    if (v != v) break;
  }
  *val = acc;
  *at = (int32_t)best;
}

void ew_extreme_f32(int want_max, const float *x, int64_t rows, int64_t cols, int along_rows,
                    float *vals, int32_t *idx) {
  float v;
  int32_t at;
  if (along_rows) {
    for (int64_t r = 0; r < rows; r++) {
      extreme_scan(want_max, x + r * cols, cols, 1, &v, &at);
      if (vals) vals[r] = v;
      if (idx) idx[r] = at;
    }
    return;
  }
  /* Columns: walk the rows in order, so memory is read contiguously, keeping each column's
   * running extremum (a column that met a NaN keeps it). */
  float *acc = malloc((size_t)(cols > 0 ? cols : 1) * sizeof(float));
  int32_t *best = malloc((size_t)(cols > 0 ? cols : 1) * sizeof(int32_t));
  if (!acc || !best) {
    free(acc), free(best);
    for (int64_t c = 0; c < cols; c++) { /* no memory for the fast path: one column at a time */
      extreme_scan(want_max, x + c, rows, cols, &v, &at);
      if (vals) vals[c] = v;
      if (idx) idx[c] = at;
    }
    return;
  }
  for (int64_t c = 0; c < cols; c++) acc[c] = rows > 0 ? x[c] : NAN, best[c] = 0;
  for (int64_t r = 1; r < rows; r++) {
    const float *row = x + r * cols;
    for (int64_t c = 0; c < cols; c++) {
      float a = acc[c], e = row[c];
      if (a != a) continue;
      if (e != e || (want_max ? e > a : e < a)) acc[c] = e, best[c] = (int32_t)r;
    }
  }
  for (int64_t c = 0; c < cols; c++) {
    if (vals) vals[c] = acc[c];
    if (idx) idx[c] = best[c];
  }
  free(acc), free(best);
}

/* ---- Sums over any set of dims of a dense tensor ---------------------------------------------
 * The dims come collapsed into alternating groups (adjacent dims of the same kind merged, size-1
 * dims dropped). Each output element is the sum of its reduced elements in row-major order, one
 * double accumulator each, as the reference backend adds them, so results are the same bits.
 * When the last group is reduced, each output sums runs of `inner` contiguous elements at the
 * offsets of the other reduced groups; SUM_LANES outputs go together so their chains overlap.
 * When the last group is kept, `inner` neighbouring outputs take the same reduced offsets and
 * their accumulators are a vector (the column sums of a [rows, cols] matrix). */
#define SUM_LANES 8
typedef struct {
  const float *x;
  float *out;
  const int64_t *kept_off;    /* offset of each outer output (kept groups but a trailing one) */
  const int64_t *reduced_off; /* offset of each reduced position (reduced groups but a trailing one) */
  int64_t outer, nred, inner, per;
  int last_reduced;
} sumd_job;

static void sumd_task(void *ctx, int64_t t) {
  const sumd_job *j = ctx;
  if (j->last_reduced) {
    int64_t o0 = t * j->per * SUM_LANES, o1 = o0 + j->per * SUM_LANES;
    if (o1 > j->outer) o1 = j->outer;
    for (int64_t o = o0; o < o1; o += SUM_LANES) {
      int lanes = o1 - o < SUM_LANES ? (int)(o1 - o) : SUM_LANES;
      double acc[SUM_LANES] = {0};
      for (int64_t r = 0; r < j->nred; r++) {
        const float *p[SUM_LANES];
        for (int k = 0; k < lanes; k++) p[k] = j->x + j->kept_off[o + k] + j->reduced_off[r];
        if (lanes == SUM_LANES) {
          for (int64_t i = 0; i < j->inner; i++)
            for (int k = 0; k < SUM_LANES; k++) acc[k] += p[k][i];
        } else {
          for (int k = 0; k < lanes; k++)
            for (int64_t i = 0; i < j->inner; i++) acc[k] += p[k][i];
        }
      }
      for (int k = 0; k < lanes; k++) j->out[o + k] = (float)acc[k];
    }
    return;
  }
  /* Task t: outer output t / blocks, columns [cb, cb + 256) of it. */
  int64_t blocks = (j->inner + 255) / 256, o = t / blocks, cb = (t % blocks) * 256;
  int64_t w = j->inner - cb < 256 ? j->inner - cb : 256;
  double acc[256];
  for (int64_t c = 0; c < w; c++) acc[c] = 0;
  const float *base = j->x + j->kept_off[o] + cb;
  for (int64_t r = 0; r < j->nred; r++) {
    const float *row = base + j->reduced_off[r];
    for (int64_t c = 0; c < w; c++) acc[c] += row[c];
  }
  float *dst = j->out + o * j->inner + cb;
  for (int64_t c = 0; c < w; c++) dst[c] = (float)acc[c];
}

/* Offsets of every position of the groups g[from..to) of kind `want` (row-major), into off. */
static void group_offsets(int ng, const int64_t *size, const int64_t *stride, const int *red,
                          int want, int upto, int64_t *off) {
  int64_t n = 1;
  off[0] = 0;
  for (int g = 0; g < upto; g++) {
    if (red[g] != want) continue;
    /* off[i * size + s] = off[i] + s * stride, expanded in place from the back. */
    for (int64_t i = n - 1; i >= 0; i--)
      for (int64_t s = size[g] - 1; s >= 0; s--) off[i * size[g] + s] = off[i] + s * stride[g];
    n *= size[g];
  }
  (void)ng;
}

int ew_sum_dims_f32(const float *x, float *out, int nd, const int64_t *shape, const int *reduced) {
  int64_t size[64], stride[64];
  int red[64], ng = 0;
  if (nd > 64) return 0;
  /* Row-major strides, then collapse: drop size-1 dims, merge neighbours of the same kind. */
  int64_t st = 1, total = 1, outn = 1;
  int64_t dstride[64];
  for (int d = nd - 1; d >= 0; d--) dstride[d] = st, st *= shape[d];
  for (int d = 0; d < nd; d++) {
    total *= shape[d];
    if (!reduced[d]) outn *= shape[d];
  }
  if (outn == 0) return 1;
  if (total == 0) {
    for (int64_t i = 0; i < outn; i++) out[i] = 0;
    return 1;
  }
  for (int d = 0; d < nd; d++) {
    if (shape[d] == 1) continue;
    if (ng > 0 && red[ng - 1] == (reduced[d] != 0)) {
      size[ng - 1] *= shape[d], stride[ng - 1] = dstride[d];
    } else {
      size[ng] = shape[d], stride[ng] = dstride[d], red[ng] = reduced[d] != 0, ng++;
    }
  }
  if (ng == 0) { /* every dim has size 1 */
    out[0] = x[0];
    return 1;
  }
  int last_reduced = red[ng - 1];
  int64_t inner = size[ng - 1], outer = 1, nred = 1;
  for (int g = 0; g < ng - 1; g++) {
    if (red[g]) nred *= size[g];
    else outer *= size[g];
  }
  if (last_reduced) outer = outn;
  int64_t *kept_off = malloc((size_t)outer * sizeof(int64_t));
  int64_t *reduced_off = malloc((size_t)nred * sizeof(int64_t));
  if (!kept_off || !reduced_off) {
    free(kept_off), free(reduced_off);
    return 0;
  }
  group_offsets(ng, size, stride, red, 0, ng - 1, kept_off);
  group_offsets(ng, size, stride, red, 1, ng - 1, reduced_off);
  sumd_job j = {x, out, kept_off, reduced_off, outer, nred, inner, 1, last_reduced};
  int threads = pool_threads_for((double)total, GRAIN_CHEAP);
  int64_t tasks;
  if (last_reduced) {
    int64_t blocks = (outer + SUM_LANES - 1) / SUM_LANES;
    int64_t want = threads * 4 < blocks ? threads * 4 : blocks;
    j.per = (blocks + want - 1) / want;
    tasks = (blocks + j.per - 1) / j.per;
  } else {
    tasks = outer * ((inner + 255) / 256);
  }
  pool_run(tasks, threads, sumd_task, &j);
  free(kept_off), free(reduced_off);
  return 1;
}

/* ---- Strided copy of 4-byte elements ---------------------------------------------------------
 * dst[i] = src[i] over an nd-dim index space, each side with its own strides (in elements, any
 * sign); dims are walked row-major, the last one as the inner loop. Bitwise, so float32 and int32
 * alike. */
void ew_copy_strided_u32(const uint32_t *src, uint32_t *dst, int nd, const int64_t *shape,
                         const int64_t *sst, const int64_t *dstr) {
  int64_t idx[64] = {0};
  if (nd < 1 || nd > 64) return;
  for (int d = 0; d < nd; d++)
    if (shape[d] == 0) return;
  const int64_t n = shape[nd - 1], ss = sst[nd - 1], ds = dstr[nd - 1];
  for (;;) {
    int64_t so = 0, dof = 0;
    for (int d = 0; d < nd - 1; d++) so += idx[d] * sst[d], dof += idx[d] * dstr[d];
    const uint32_t *s = src + so;
    uint32_t *o = dst + dof;
    if (ss == 1 && ds == 1) memcpy(o, s, (size_t)n * sizeof(uint32_t));
    else if (ds == 1)
      for (int64_t i = 0; i < n; i++) o[i] = s[i * ss];
    else
      for (int64_t i = 0; i < n; i++) o[i * ds] = s[i * ss];
    int d = nd - 2;
    for (; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}
