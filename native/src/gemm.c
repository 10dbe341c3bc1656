#include "gemm.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "pool.h"

#if defined(__x86_64__) || defined(__i386__)
#define TORCHLET_X86 1
#else
#define TORCHLET_X86 0
#endif

/* Cache blocking: an MC x KC block of A stays in L2 while each A micro-panel (MR x KC) is reused
 * from L1 across the NC-wide packed block of B. */
#ifndef MC_ /* overridable for tuning runs: -DMC_=... */
#define MC_ 144
#define KC_ 256
#define NC_ 1024
#endif
#define MC MC_
#define KC KC_
#define NC NC_

/* Each thread keeps its packing buffers between calls (they only grow); a thread-specific key
 * frees them when a pool worker exits (setNumThreads shrinking the pool). */
typedef struct {
  void *buf[2];
  size_t cap[2];
} scratch_set;

static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;

static void scratch_free(void *p) {
  scratch_set *s = p;
  free(s->buf[0]), free(s->buf[1]), free(s);
}

static void scratch_init(void) { pthread_key_create(&scratch_key, scratch_free); }

static void *scratch(int which, size_t bytes) {
  pthread_once(&scratch_once, scratch_init);
  scratch_set *s = pthread_getspecific(scratch_key);
  if (!s) {
    s = calloc(1, sizeof *s);
    if (!s || pthread_setspecific(scratch_key, s) != 0) abort(); /* out of memory: nothing sane to do */
  }
  if (s->cap[which] < bytes) {
    free(s->buf[which]);
    size_t rounded = (bytes + 63) & ~(size_t)63;
    s->buf[which] = aligned_alloc(64, rounded);
    if (!s->buf[which]) abort();
    s->cap[which] = rounded;
  }
  return s->buf[which];
}

static gemm_isa current_isa = ISA_PORTABLE;
static int isa_chosen = 0;

gemm_isa gemm_best_isa(void) {
#if TORCHLET_X86
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return ISA_AVX512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return ISA_AVX2;
#endif
  return ISA_PORTABLE;
}

gemm_isa gemm_force_isa(gemm_isa isa) {
  gemm_isa best = gemm_best_isa();
  current_isa = isa > best ? best : isa;
  isa_chosen = 1;
  return current_isa;
}

gemm_isa gemm_current_isa(void) {
  if (!isa_chosen) gemm_force_isa(gemm_best_isa());
  return current_isa;
}

const char *gemm_isa_name(gemm_isa isa) {
  switch (isa) {
    case ISA_AVX512: return "avx512";
    case ISA_AVX2: return "avx2";
    default: return "portable";
  }
}

int64_t gemm_batches(const gemm_desc *d) {
  int64_t n = 1;
  for (int i = 0; i < d->batch_dims; i++) n *= d->batch_shape[i];
  return n;
}

static int64_t batch_extent(const gemm_desc *d, const int64_t *strides) {
  int64_t e = 0;
  for (int i = 0; i < d->batch_dims; i++) e += (d->batch_shape[i] - 1) * strides[i];
  return e;
}

int64_t gemm_a_extent(const gemm_desc *d) {
  return d->a_off + (d->m - 1) * d->sam + (d->k - 1) * d->sak + batch_extent(d, d->a_bstride);
}

int64_t gemm_b_extent(const gemm_desc *d) {
  return d->b_off + (d->k - 1) * d->sbk + (d->n - 1) * d->sbn + batch_extent(d, d->b_bstride);
}

/* A thread should get at least ~1M multiply-adds (a few microseconds at full speed). */
static int threads_for(double macs) { return pool_threads_for(macs, 1 << 20); }

#define T float
#define SFX f32
#include "gemm_impl.h"
#undef T
#undef SFX

#define T double
#define SFX f64
#include "gemm_impl.h"
#undef T
#undef SFX
