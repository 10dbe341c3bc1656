/* Batched matrix product C = A·B over strided A and B, contiguous C, float32 and float64. */
#ifndef TORCHLET_GEMM_H
#define TORCHLET_GEMM_H
#include <stdint.h>

#define GEMM_MAX_BATCH_DIMS 16

/* Strides and offsets are in elements and non-negative; batch strides may be 0 (broadcast).
 * C is [...batch, m, n] row-major and is fully overwritten. */
typedef struct {
  int64_t m, n, k;
  int64_t a_off, sam, sak;
  int64_t b_off, sbk, sbn;
  int batch_dims;
  int64_t batch_shape[GEMM_MAX_BATCH_DIMS];
  int64_t a_bstride[GEMM_MAX_BATCH_DIMS];
  int64_t b_bstride[GEMM_MAX_BATCH_DIMS];
} gemm_desc;

/* Instruction sets the micro-kernels come in. */
typedef enum { ISA_PORTABLE = 0, ISA_AVX2 = 1, ISA_AVX512 = 2 } gemm_isa;

void gemm_f32(const float *a, const float *b, float *c, const gemm_desc *d);
void gemm_f64(const double *a, const double *b, double *c, const gemm_desc *d);

/* The best ISA this CPU and OS support. */
gemm_isa gemm_best_isa(void);
/* Uses `isa` (clamped to what the CPU supports) from now on; returns the ISA in use. */
gemm_isa gemm_force_isa(gemm_isa isa);
gemm_isa gemm_current_isa(void);
const char *gemm_isa_name(gemm_isa isa);

/* Number of batch matrices and the highest element index that A, B and C touch (for bounds checks). */
int64_t gemm_batches(const gemm_desc *d);
int64_t gemm_a_extent(const gemm_desc *d);
int64_t gemm_b_extent(const gemm_desc *d);

#endif
