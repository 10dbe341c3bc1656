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

/* Vectorized packing for the two float32 cases that are transposes: A with contiguous rows
 * (A·B, A·Bᵀ: an MR-row panel is stored p-major, so each 8x8 block is transposed) and B with
 * contiguous columns (A·Bᵀ, Aᵀ·Bᵀ). Scalar packing of these cost ~30% of W3's forward
 * x·Wᵀ (bench/NATIVE.md). Each returns 0 when it does not apply (another ISA, other strides);
 * the scalar loops in gemm_impl.h then pack. */
#if TORCHLET_X86
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2,fma")))

/* r[i] <- column i of the 8x8 block whose rows are r[0..8). */
AVX2 static inline void transpose8(__m256 r[8]) {
  __m256 t[8], s[8];
  for (int i = 0; i < 8; i += 2) {
    t[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);
    t[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);
  }
  for (int i = 0; i < 8; i += 4) {
    s[i] = _mm256_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(1, 0, 1, 0));
    s[i + 1] = _mm256_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(3, 2, 3, 2));
    s[i + 2] = _mm256_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(1, 0, 1, 0));
    s[i + 3] = _mm256_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(3, 2, 3, 2));
  }
  for (int i = 0; i < 4; i++) {
    r[i] = _mm256_permute2f128_ps(s[i], s[i + 4], 0x20);
    r[i + 4] = _mm256_permute2f128_ps(s[i], s[i + 4], 0x31);
  }
}

/* A rows contiguous (sak == 1), MR = 6: dst[p*6 + r] = a[r*sam + p]. */
AVX2 static int pack_a_rows_avx2(const float *a, int64_t sam, int64_t mc, int64_t kc, float *dst) {
  enum { MR6 = 6 };
  for (int64_t i0 = 0; i0 < mc; i0 += MR6, dst += (int64_t)MR6 * kc) {
    int rows = mc - i0 < MR6 ? (int)(mc - i0) : MR6;
    const float *src = a + i0 * sam;
    int64_t p0 = 0;
    for (; p0 + 8 <= kc; p0 += 8) {
      __m256 r[8];
      for (int q = 0; q < 8; q++)
        r[q] = q < rows ? _mm256_loadu_ps(src + q * sam + p0) : _mm256_setzero_ps();
      transpose8(r);
      for (int i = 0; i < 8; i++) { /* 6 of the 8 lanes: rows 0-5 at column p0 + i */
        float *d = dst + (p0 + i) * MR6;
        _mm_storeu_ps(d, _mm256_castps256_ps128(r[i]));
        _mm_storel_pi((__m64 *)(d + 4), _mm256_extractf128_ps(r[i], 1));
      }
    }
    for (int64_t p = p0; p < kc; p++)
      for (int q = 0; q < MR6; q++) dst[p * MR6 + q] = q < rows ? src[q * sam + p] : 0;
  }
  return 1;
}

/* B columns contiguous (sbk == 1): dst[p*nr + j] = b[j*sbn + p], NR-column panels. */
AVX2 static int pack_b_cols_avx2(const float *b, int64_t sbn, int64_t kc, int64_t nc, int nr,
                                 float *dst) {
  for (int64_t j0 = 0; j0 < nc; j0 += nr, dst += (int64_t)nr * kc) {
    int cols = nc - j0 < nr ? (int)(nc - j0) : nr;
    const float *src = b + j0 * sbn;
    int full = cols & ~7;
    int64_t p0 = 0;
    for (; p0 + 8 <= kc; p0 += 8) {
      for (int j = 0; j < full; j += 8) {
        __m256 r[8];
        for (int q = 0; q < 8; q++) r[q] = _mm256_loadu_ps(src + (j + q) * sbn + p0);
        transpose8(r);
        for (int i = 0; i < 8; i++) _mm256_storeu_ps(dst + (p0 + i) * nr + j, r[i]);
      }
    }
    for (int64_t p = 0; p < kc; p++)
      for (int j = p < p0 ? full : 0; j < nr; j++) dst[p * nr + j] = j < cols ? src[j * sbn + p] : 0;
  }
  return 1;
}

static int pack_a_fast_f32(const float *a, int64_t sam, int64_t sak, int64_t mc, int64_t kc, int mr,
                           float *dst) {
  if (sak != 1 || mr != 6 || gemm_current_isa() < ISA_AVX2) return 0;
  return pack_a_rows_avx2(a, sam, mc, kc, dst);
}

static int pack_b_fast_f32(const float *b, int64_t sbk, int64_t sbn, int64_t kc, int64_t nc, int nr,
                           float *dst) {
  if (sbk != 1 || sbn == 1 || gemm_current_isa() < ISA_AVX2) return 0;
  return pack_b_cols_avx2(b, sbn, kc, nc, nr, dst);
}
#else
#define pack_a_fast_f32(...) 0
#define pack_b_fast_f32(...) 0
#endif

/* float64 keeps the scalar packing (gemm_impl.h calls F(pack_a_fast) for both types). */
#define pack_a_fast_f64(...) 0
#define pack_b_fast_f64(...) 0

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
