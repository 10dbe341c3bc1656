/* Elementwise ops and sums over dense float buffers, split across the thread pool when large. */
#ifndef TORCHLET_ELEMENTWISE_H
#define TORCHLET_ELEMENTWISE_H
#include <stdint.h>

typedef enum { EW_ADD, EW_SUB, EW_MUL, EW_DIV, EW_BINARY_COUNT } ew_binary_op;
/* Comparisons (float32 operands, 0/1 bytes out) follow the arithmetic codes in binaryBroadcast. */
typedef enum { EW_EQ = EW_BINARY_COUNT, EW_NE, EW_LT, EW_LE, EW_GT, EW_GE, EW_COMPARE_END } ew_compare_op;
/* Dense-only binary op (ew_binary_f32): ReLU's gradient, out = b <= 0 ? 0 : a (a the gradient,
 * b the ReLU output; NaN in b passes a, as PyTorch's threshold_backward). */
enum { EW_RELU_GRAD = 16 };
typedef enum { EW_EXP, EW_SIGMOID, EW_TANH, EW_RELU, EW_SQRT, EW_ERF, EW_NEG, EW_RSQRT,
               EW_RECIPROCAL, EW_UNARY_COUNT } ew_unary_op;

void ew_binary_f32(int op, const float *a, const float *b, float *out, int64_t n);
/* out[i] = a[(i / ra) % pa] op b[(i / rb) % pb] (pa * ra and pb * rb divide n; out may alias an
 * operand whose period is n). */
void ew_binary_bcast_f32(int op, const float *a, int64_t pa, int64_t ra, const float *b, int64_t pb,
                         int64_t rb, float *out, int64_t n);
/* The same as 0/1 bytes (op is an ew_compare_op; out aliases neither operand). */
void ew_compare_bcast_f32(int op, const float *a, int64_t pa, int64_t ra, const float *b, int64_t pb,
                          int64_t rb, uint8_t *out, int64_t n);
void ew_unary_f32(int op, const float *x, float *out, int64_t n);
/* out[i] = a[i] + alpha * b[i], rounded once to float (FMA where the CPU has it; out may alias a
 * or b at the same index). */
void ew_add_scaled_f32(const float *a, const float *b, float alpha, float *out, int64_t n);
/* out[r] = sum_c x[r * cols + c], accumulated in double like the reference backend. */
void ew_sum_rows_f32(const float *x, float *out, int64_t rows, int64_t cols);
/* out[c] = sum_r x[r * cols + c]. */
void ew_sum_cols_f32(const float *x, float *out, int64_t rows, int64_t cols);
/* out = x summed over the dims where reduced[d] != 0 (x dense, row-major, nd <= 64 dims; out has
 * the kept dims' elements), each output in the reduced dims' row-major order in double, as the
 * reference backend: the same bits. Returns 0 (out untouched) when nd > 64 or memory runs out. */
int ew_sum_dims_f32(const float *x, float *out, int nd, const int64_t *shape, const int *reduced);
/* The maximum (want_max) or minimum of each row (along_rows) or column of a dense rows x cols
 * matrix and its index in the row (column), scanning in order as the reference backend does:
 * the first extremum wins ties, the first NaN wins outright (PyTorch's max/argmax); an empty
 * row gives NaN and index 0. vals or idx may be NULL. */
void ew_extreme_f32(int want_max, const float *x, int64_t rows, int64_t cols, int along_rows,
                    float *vals, int32_t *idx);

/* dst[i] = src[i] (4-byte elements, bitwise) over an nd-dim (1..64) index space of the given
 * shape, src and dst each with their own element strides from the pointers given. */
void ew_copy_strided_u32(const uint32_t *src, uint32_t *dst, int nd, const int64_t *shape,
                         const int64_t *sst, const int64_t *dstr);

#endif
