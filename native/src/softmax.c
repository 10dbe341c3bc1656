#include "softmax.h"

#include <math.h>

#include "pool.h"

/* One thread gets at least this many elements: each costs an exp(), as the unary ops' grain. */
#define GRAIN 8192.0
/* Positions along inner handled together when the softmax dim is not the last (see col_block). */
#define BLOCK 256

/* The max of n elements at stride ss, skipping NaN on purpose: a NaN (or +Infinity, or a row of
 * only -Infinity) makes some x - m NaN, hence s and the whole row NaN, which is PyTorch's answer.
 * Eight running maxima, because a single one is a serial chain the compiler cannot vectorize. */
static inline float row_max(const float *x, int64_t ss, int64_t n) {
  float m[8];
  for (int l = 0; l < 8; l++) m[l] = -INFINITY;
  int64_t k = 0;
  for (; k + 8 <= n; k += 8)
    for (int l = 0; l < 8; l++) m[l] = x[(k + l) * ss] > m[l] ? x[(k + l) * ss] : m[l];
  for (; k < n; k++) m[0] = x[k * ss] > m[0] ? x[k * ss] : m[0];
  for (int l = 1; l < 8; l++) m[0] = m[l] > m[0] ? m[l] : m[0];
  return m[0];
}

/* One row of n elements at stride ss into dense o. Inlined with ss = 1 for the common contiguous
 * row, so that its max, subtraction and division loops compile to vector code. */
static inline void row(int take_log, const float *x, int64_t ss, int64_t n, float *o) {
  float m = row_max(x, ss, n);
  double s = 0;
  if (take_log) {
    for (int64_t k = 0; k < n; k++) s += exp((double)x[k * ss] - m);
    double ls = log(s);
    for (int64_t k = 0; k < n; k++) o[k] = (float)((double)x[k * ss] - m - ls);
  } else {
    for (int64_t k = 0; k < n; k++) {
      double e = exp((double)x[k * ss] - m);
      s += e;
      o[k] = (float)e;
    }
    for (int64_t k = 0; k < n; k++) o[k] = (float)((double)o[k] / s);
  }
}

/* w <= BLOCK neighbouring rows along inner (x at stride si between them, ss along each row) into
 * o (row stride 1, element stride `inner`): the same arithmetic as row() (the same max skipping
 * NaN), but each loop runs across the w rows, so with si = 1 it is a vector loop over contiguous
 * memory. */
static inline void col_block(int take_log, const float *x, int64_t ss, int64_t si, int64_t n,
                             int64_t w, int64_t inner, float *o) {
  float m[BLOCK];
  double s[BLOCK];
  for (int64_t j = 0; j < w; j++) m[j] = -INFINITY, s[j] = 0;
  for (int64_t k = 0; k < n; k++) {
    const float *xr = x + k * ss;
    for (int64_t j = 0; j < w; j++) m[j] = xr[j * si] > m[j] ? xr[j * si] : m[j];
  }
  for (int64_t k = 0; k < n; k++) {
    const float *xr = x + k * ss;
    float *orow = o + k * inner;
    for (int64_t j = 0; j < w; j++) {
      double e = exp((double)xr[j * si] - m[j]);
      s[j] += e;
      if (!take_log) orow[j] = (float)e;
    }
  }
  if (take_log) {
    for (int64_t j = 0; j < w; j++) s[j] = log(s[j]);
    for (int64_t k = 0; k < n; k++) {
      const float *xr = x + k * ss;
      float *orow = o + k * inner;
      for (int64_t j = 0; j < w; j++) orow[j] = (float)((double)xr[j * si] - m[j] - s[j]);
    }
  } else {
    for (int64_t k = 0; k < n; k++) {
      float *orow = o + k * inner;
      for (int64_t j = 0; j < w; j++) orow[j] = (float)((double)orow[j] / s[j]);
    }
  }
}

typedef struct {
  int take_log;
  const float *x;
  float *out;
  const softmax_desc *d;
  int64_t units, blocks, per; /* units = outer * blocks; a task takes `per` of them */
} softmax_job;

/* Units [t * per, ...): with inner = 1 a unit is one row, else a block of BLOCK rows along inner
 * at one outer position. */
static void softmax_task(void *ctx, int64_t t) {
  const softmax_job *j = ctx;
  const softmax_desc *d = j->d;
  int64_t u0 = t * j->per, u1 = u0 + j->per < j->units ? u0 + j->per : j->units;
  for (int64_t u = u0; u < u1; u++) {
    int64_t o = u / j->blocks, j0 = (u % j->blocks) * BLOCK;
    const float *x = j->x + o * d->so + j0 * d->si;
    float *out = j->out + o * d->size * d->inner + j0;
    if (d->inner == 1) {
      if (d->ss == 1) row(j->take_log, x, 1, d->size, out);
      else row(j->take_log, x, d->ss, d->size, out);
    } else {
      int64_t w = d->inner - j0 < BLOCK ? d->inner - j0 : BLOCK;
      if (d->si == 1) col_block(j->take_log, x, d->ss, 1, d->size, w, d->inner, out);
      else col_block(j->take_log, x, d->ss, d->si, d->size, w, d->inner, out);
    }
  }
}

void softmax_f32(int take_log, const float *x, float *out, const softmax_desc *d) {
  if (d->outer == 0 || d->size == 0 || d->inner == 0) return;
  int64_t blocks = d->inner == 1 ? 1 : (d->inner + BLOCK - 1) / BLOCK;
  int64_t units = d->outer * blocks;
  int threads = pool_threads_for((double)d->outer * d->size * d->inner, GRAIN);
  /* A few tasks per thread, so that uneven progress evens out. */
  int64_t tasks = threads * 4 < units ? threads * 4 : units;
  softmax_job j = {take_log, x, out, d, units, blocks, (units + tasks - 1) / tasks};
  pool_run((units + j.per - 1) / j.per, threads, softmax_task, &j);
}
