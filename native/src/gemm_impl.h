/* The GEMM driver for one element type, included by gemm.c once per type with T and SFX defined.
 * Goto/BLIS structure: pack a KC x NC block of B and an MC x KC block of A into micro-panels
 * (zero-padded to the register tile, so the micro-kernel never needs bounds), then sweep the
 * MR x NR register tile over the block. Packing reads any strides, so the four layouts
 * (A·B, Aᵀ·B, A·Bᵀ, Aᵀ·Bᵀ) all reach the same micro-kernel at the same speed. */

#define CAT_(a, b) a##_##b
#define CAT(a, b) CAT_(a, b)
#define F(name) CAT(name, SFX)

typedef void (*F(ukernel))(int64_t kc, const T *pa, const T *pb, T *c, int64_t ldc, int accumulate);

/* Micro-kernel: c[MR x NR] (=|+=) sum_p pa[p][0..MR) ⊗ pb[p][0..NR). VB = vector bytes. */
#define DEFINE_UKERNEL(NAME, VB, MR, NV, ATTR) DEFINE_UKERNEL_(NAME, VB, MR, NV, ATTR)
#define DEFINE_UKERNEL_(NAME, VB, MR, NV, ATTR)                                                 \
  typedef T NAME##_v __attribute__((vector_size(VB)));                                        \
  ATTR static void NAME(int64_t kc, const T *restrict pa, const T *restrict pb, T *restrict c, \
                        int64_t ldc, int accumulate) {                                         \
    enum { L = VB / sizeof(T) };                                                               \
    NAME##_v r[MR][NV];                                                                        \
    _Pragma("GCC unroll 8") for (int i = 0; i < MR; i++)                                      \
        _Pragma("GCC unroll 8") for (int j = 0; j < NV; j++) r[i][j] = (NAME##_v){0};         \
    for (int64_t p = 0; p < kc; p++) {                                                         \
      NAME##_v bv[NV];                                                                         \
      _Pragma("GCC unroll 8") for (int j = 0; j < NV; j++) bv[j] =                            \
          *(const NAME##_v *)(pb + (p * NV + j) * L);                                          \
      _Pragma("GCC unroll 8") for (int i = 0; i < MR; i++) {                                  \
        T av = pa[p * MR + i];                                                                 \
        _Pragma("GCC unroll 8") for (int j = 0; j < NV; j++) r[i][j] += av * bv[j];           \
      }                                                                                        \
    }                                                                                          \
    _Pragma("GCC unroll 8") for (int i = 0; i < MR; i++)                                      \
        _Pragma("GCC unroll 8") for (int j = 0; j < NV; j++) {                                \
      NAME##_v old;                                                                            \
      if (accumulate) {                                                                        \
        __builtin_memcpy(&old, c + i * ldc + j * L, VB);                                       \
        r[i][j] += old;                                                                        \
      }                                                                                        \
      __builtin_memcpy(c + i * ldc + j * L, &r[i][j], VB);                                     \
    }                                                                                          \
  }

#if TORCHLET_X86
DEFINE_UKERNEL(F(uk_avx512), 64, 6, 4, __attribute__((target("avx512f,avx2,fma"))))
/* For narrow products (n <= one vector, e.g. a 10-class output layer): 6 x 16 instead of
 * computing 64 columns to keep 10. */
DEFINE_UKERNEL(F(uk_avx512_narrow), 64, 6, 1, __attribute__((target("avx512f,avx2,fma"))))
DEFINE_UKERNEL(F(uk_avx2), 32, 6, 2, __attribute__((target("avx2,fma"))))
#endif
DEFINE_UKERNEL(F(uk_portable), 16, 6, 2, )

typedef struct {
  int mr, nr;
  F(ukernel) fn;
} F(kinfo);

static F(kinfo) F(kernel_for)(gemm_isa isa, int64_t n) {
  const int l = 16 / (int)sizeof(T); /* lanes in 16 bytes */
#if TORCHLET_X86
  if (isa == ISA_AVX512 && n <= 4 * l) return (F(kinfo)){6, 4 * l, F(uk_avx512_narrow)};
  if (isa == ISA_AVX512) return (F(kinfo)){6, 4 * 4 * l, F(uk_avx512)};
  if (isa == ISA_AVX2) return (F(kinfo)){6, 2 * 2 * l, F(uk_avx2)};
#endif
  (void)isa, (void)n;
  return (F(kinfo)){6, 2 * l, F(uk_portable)};
}

/* Packs rows [0, mc) x cols [0, kc) of A into MR-row panels laid out p-major. */
static void F(pack_a)(const T *a, int64_t sam, int64_t sak, int64_t mc, int64_t kc, int mr, T *dst) {
  if (F(pack_a_fast)(a, sam, sak, mc, kc, mr, dst)) return;
  for (int64_t i0 = 0; i0 < mc; i0 += mr, dst += (int64_t)mr * kc) {
    int rows = mc - i0 < mr ? (int)(mc - i0) : mr;
    const T *src = a + i0 * sam;
    if (sak == 1) { /* rows are contiguous: read along them */
      for (int r = 0; r < rows; r++)
        for (int64_t p = 0; p < kc; p++) dst[p * mr + r] = src[r * sam + p];
    } else {
      for (int64_t p = 0; p < kc; p++)
        for (int r = 0; r < rows; r++) dst[p * mr + r] = src[r * sam + p * sak];
    }
    for (int64_t p = 0; p < kc; p++)
      for (int r = rows; r < mr; r++) dst[p * mr + r] = 0;
  }
}

/* Packs rows [0, kc) x cols [0, nc) of B into NR-column panels laid out p-major. */
static void F(pack_b)(const T *b, int64_t sbk, int64_t sbn, int64_t kc, int64_t nc, int nr, T *dst) {
  if (F(pack_b_fast)(b, sbk, sbn, kc, nc, nr, dst)) return;
  for (int64_t j0 = 0; j0 < nc; j0 += nr, dst += (int64_t)nr * kc) {
    int cols = nc - j0 < nr ? (int)(nc - j0) : nr;
    const T *src = b + j0 * sbn;
    if (sbn == 1) {
      for (int64_t p = 0; p < kc; p++) {
        for (int j = 0; j < cols; j++) dst[p * nr + j] = src[p * sbk + j];
        for (int j = cols; j < nr; j++) dst[p * nr + j] = 0;
      }
    } else {
      /* Columns are strided (Bᵀ): go in slabs of 8 rows so that both the 8 source elements read
       * per column and the 8 destination rows being filled stay in L1. */
      for (int64_t p0 = 0; p0 < kc; p0 += 8) {
        int64_t p1 = kc - p0 < 8 ? kc : p0 + 8;
        for (int j = 0; j < cols; j++)
          for (int64_t p = p0; p < p1; p++) dst[p * nr + j] = src[p * sbk + j * sbn];
      }
      for (int64_t p = 0; p < kc; p++)
        for (int j = cols; j < nr; j++) dst[p * nr + j] = 0;
    }
  }
}

/* One task: C[i0..i1, j0..j1) of one batch matrix. */
static void F(gemm_block)(const T *a, int64_t sam, int64_t sak, const T *b, int64_t sbk, int64_t sbn,
                          T *c, int64_t ldc, int64_t i0, int64_t i1, int64_t j0, int64_t j1,
                          int64_t k, F(kinfo) ki) {
  const int mr = ki.mr, nr = ki.nr;
  if (k == 0) {
    for (int64_t i = i0; i < i1; i++)
      for (int64_t j = j0; j < j1; j++) c[i * ldc + j] = 0;
    return;
  }
  const int64_t kcmax = KC < k ? KC : k;
  T *pa = (T *)scratch(0, (size_t)(MC + mr) * kcmax * sizeof(T));
  T *pb = (T *)scratch(1, (size_t)(NC + nr) * kcmax * sizeof(T));
  T tile[8 * 64] __attribute__((aligned(64))); /* edge tiles land here first */
  for (int64_t jc = j0; jc < j1; jc += NC) {
    int64_t nc = j1 - jc < NC ? j1 - jc : NC;
    for (int64_t pc = 0; pc < k; pc += KC) {
      int64_t kc = k - pc < KC ? k - pc : KC;
      int acc = pc > 0;
      F(pack_b)(b + pc * sbk + jc * sbn, sbk, sbn, kc, nc, nr, pb);
      for (int64_t ic = i0; ic < i1; ic += MC) {
        int64_t mc = i1 - ic < MC ? i1 - ic : MC;
        F(pack_a)(a + ic * sam + pc * sak, sam, sak, mc, kc, mr, pa);
        for (int64_t ir = 0; ir < mc; ir += mr) {
          int rows = mc - ir < mr ? (int)(mc - ir) : mr;
          for (int64_t jr = 0; jr < nc; jr += nr) {
            int cols = nc - jr < nr ? (int)(nc - jr) : nr;
            T *cp = c + (ic + ir) * ldc + jc + jr;
            const T *ap = pa + ir * kc, *bp = pb + jr * kc;
            if (rows == mr && cols == nr) {
              ki.fn(kc, ap, bp, cp, ldc, acc);
            } else {
              ki.fn(kc, ap, bp, tile, nr, 0);
              for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++)
                  cp[i * ldc + j] = acc ? cp[i * ldc + j] + tile[i * nr + j] : tile[i * nr + j];
            }
          }
        }
      }
    }
  }
}

typedef struct {
  const T *a, *b;
  T *c;
  const gemm_desc *d;
  int64_t mt, nt, mchunk, nchunk;
  F(kinfo) ki;
} F(job);

static void F(gemm_task)(void *ctx, int64_t t) {
  const F(job) *job = (const F(job) *)ctx;
  const gemm_desc *d = job->d;
  int64_t per = job->mt * job->nt, batch = t / per, rest = t % per;
  int64_t ti = rest / job->nt, tj = rest % job->nt;
  int64_t oa = d->a_off, ob = d->b_off;
  for (int dim = d->batch_dims - 1; dim >= 0; dim--) { /* decode the batch index row-major */
    int64_t idx = batch % d->batch_shape[dim];
    batch /= d->batch_shape[dim];
    oa += idx * d->a_bstride[dim];
    ob += idx * d->b_bstride[dim];
  }
  batch = t / per;
  int64_t i0 = ti * job->mchunk, i1 = i0 + job->mchunk < d->m ? i0 + job->mchunk : d->m;
  int64_t j0 = tj * job->nchunk, j1 = j0 + job->nchunk < d->n ? j0 + job->nchunk : d->n;
  if (i0 >= i1 || j0 >= j1) return;
  F(gemm_block)(job->a + oa, d->sam, d->sak, job->b + ob, d->sbk, d->sbn, job->c + batch * d->m * d->n,
                d->n, i0, i1, j0, j1, d->k, job->ki);
}

void F(gemm)(const T *a, const T *b, T *c, const gemm_desc *d) {
  int64_t batches = gemm_batches(d);
  if (batches == 0 || d->m == 0 || d->n == 0) return;
  F(job) job = {a, b, c, d, 1, 1, d->m, d->n, F(kernel_for)(gemm_current_isa(), d->n)};
  int threads = threads_for((double)batches * d->m * d->n * (d->k > 0 ? d->k : 1));
  if (threads > 1 && batches < threads) {
    /* Too few matrices to go round: split each along its longer side, in whole register tiles. */
    int64_t split = (threads + batches - 1) / batches;
    if (d->m >= d->n) {
      int64_t tiles = (d->m + job.ki.mr - 1) / job.ki.mr;
      job.mt = split < tiles ? split : tiles;
      job.mchunk = ((tiles + job.mt - 1) / job.mt) * job.ki.mr;
      job.mt = (d->m + job.mchunk - 1) / job.mchunk;
    } else {
      int64_t tiles = (d->n + job.ki.nr - 1) / job.ki.nr;
      job.nt = split < tiles ? split : tiles;
      job.nchunk = ((tiles + job.nt - 1) / job.nt) * job.ki.nr;
      job.nt = (d->n + job.nchunk - 1) / job.nchunk;
    }
  }
  pool_run(batches * job.mt * job.nt, threads, F(gemm_task), &job);
}

#undef F
#undef CAT
#undef CAT_
#undef DEFINE_UKERNEL
#undef DEFINE_UKERNEL_
