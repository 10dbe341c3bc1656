#include "windows.h"

#include <string.h>

#include "pool.h"

/* One thread gets at least this many output elements (the loops are memory-bound). */
#define GRAIN 65536.0

/* The range [lo, hi) of window indices o < n whose position o * s + base falls inside [0, size). */
static void inside(int64_t base, int64_t s, int64_t size, int64_t n, int64_t *lo, int64_t *hi) {
  int64_t a = base >= 0 ? 0 : (-base + s - 1) / s;
  int64_t b = size - base <= 0 ? 0 : (size - base + s - 1) / s;
  *lo = a < n ? a : n;
  *hi = b < n ? b : n;
  if (*hi < *lo) *hi = *lo;
}

typedef struct {
  const float *in;
  float *out;
  int32_t *indices;
  const win_desc *d;
} win_job;

static void im2col_plane(void *ctx, int64_t p) {
  const win_job *j = ctx;
  const win_desc *d = j->d;
  const float *x = j->in + d->off + p * d->sp;
  float *o = j->out + p * d->kh * d->kw * d->oh * d->ow;
  for (int64_t kh = 0; kh < d->kh; kh++)
    for (int64_t kw = 0; kw < d->kw; kw++) {
      int64_t cbase = kw * d->dil_w - d->pad_l, lo, hi;
      inside(cbase, d->stride_w, d->w, d->ow, &lo, &hi);
      for (int64_t oh = 0; oh < d->oh; oh++, o += d->ow) {
        int64_t h = oh * d->stride_h - d->pad_t + kh * d->dil_h;
        if (h < 0 || h >= d->h) {
          memset(o, 0, (size_t)d->ow * sizeof(float));
          continue;
        }
        const float *row = x + h * d->sh;
        for (int64_t ow = 0; ow < lo; ow++) o[ow] = 0;
        if (d->stride_w == 1 && d->sw == 1)
          memcpy(o + lo, row + lo + cbase, (size_t)(hi - lo) * sizeof(float));
        else
          for (int64_t ow = lo; ow < hi; ow++) o[ow] = row[(ow * d->stride_w + cbase) * d->sw];
        for (int64_t ow = hi; ow < d->ow; ow++) o[ow] = 0;
      }
    }
}

static void col2im_plane(void *ctx, int64_t p) {
  const win_job *j = ctx;
  const win_desc *d = j->d;
  const float *c = j->in + d->off + p * d->kh * d->kw * d->oh * d->ow;
  float *out = j->out + p * d->h * d->w;
  memset(out, 0, (size_t)(d->h * d->w) * sizeof(float));
  for (int64_t kh = 0; kh < d->kh; kh++)
    for (int64_t kw = 0; kw < d->kw; kw++) {
      int64_t cbase = kw * d->dil_w - d->pad_l, lo, hi;
      inside(cbase, d->stride_w, d->w, d->ow, &lo, &hi);
      for (int64_t oh = 0; oh < d->oh; oh++, c += d->ow) {
        int64_t h = oh * d->stride_h - d->pad_t + kh * d->dil_h;
        if (h < 0 || h >= d->h) continue;
        float *row = out + h * d->w;
        /* Each element gets one addition here, so the order of additions per element is the
         * reference's (kh, kw, oh) whatever the compiler does across ow. */
        if (d->stride_w == 1)
          for (int64_t ow = lo; ow < hi; ow++) row[ow + cbase] += c[ow];
        else
          for (int64_t ow = lo; ow < hi; ow++) row[ow * d->stride_w + cbase] += c[ow];
      }
    }
}

static void maxpool_plane(void *ctx, int64_t p) {
  const win_job *j = ctx;
  const win_desc *d = j->d;
  const float *x = j->in + d->off + p * d->sp;
  float *v = j->out + p * d->oh * d->ow;
  int32_t *ix = j->indices + p * d->oh * d->ow;
  for (int64_t oh = 0; oh < d->oh; oh++)
    for (int64_t ow = 0; ow < d->ow; ow++) {
      /* PyTorch's loop (aten/src/ATen/native/cpu/MaxPoolKernel.cpp). */
      int64_t hs = oh * d->stride_h - d->pad_t, ws = ow * d->stride_w - d->pad_l;
      int64_t he = hs + (d->kh - 1) * d->dil_h + 1, we = ws + (d->kw - 1) * d->dil_w + 1;
      if (he > d->h) he = d->h;
      if (we > d->w) we = d->w;
      while (hs < 0) hs += d->dil_h;
      while (ws < 0) ws += d->dil_w;
      float best = -__builtin_inff();
      int64_t at = hs * d->w + ws;
      for (int64_t h = hs; h < he; h += d->dil_h)
        for (int64_t c = ws; c < we; c += d->dil_w) {
          float val = x[h * d->sh + c * d->sw];
          if (val > best || val != val) {
            best = val;
            at = h * d->w + c;
          }
        }
      v[oh * d->ow + ow] = best;
      ix[oh * d->ow + ow] = (int32_t)at;
    }
}

static void run(pool_task_fn fn, win_job *j, double work) {
  pool_run(j->d->planes, pool_threads_for(work, GRAIN), fn, j);
}

void win_im2col_f32(const float *x, float *out, const win_desc *d) {
  win_job j = {x, out, NULL, d};
  run(im2col_plane, &j, (double)(d->planes * d->kh * d->kw * d->oh * d->ow));
}

void win_col2im_f32(const float *cols, float *out, const win_desc *d) {
  win_job j = {cols, out, NULL, d};
  run(col2im_plane, &j, (double)(d->planes * d->kh * d->kw * d->oh * d->ow));
}

void win_maxpool_f32(const float *x, float *values, int32_t *indices, const win_desc *d) {
  win_job j = {x, values, indices, d};
  run(maxpool_plane, &j, (double)(d->planes * d->kh * d->kw * d->oh * d->ow));
}
