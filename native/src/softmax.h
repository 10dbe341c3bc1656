/* Softmax and log-softmax of float32 rows, split across the thread pool by rows. The same
 * arithmetic as the reference backend (src/backend/reference/softmax.ts): max in float, exp,
 * sum and log in double, one rounding to float per output (two for softmax: exp, then / sum). */
#ifndef TORCHLET_SOFTMAX_H
#define TORCHLET_SOFTMAX_H
#include <stdint.h>

/* A strided float32 view [outer, size, inner] (element strides so, ss, si, all >= 0) normalised
 * along its middle dim: out, dense [outer, size, inner], gets exp(x - m) / s (take_log = 0) or
 * (x - m) - log(s) (take_log = 1), m the max and s the sum of exp(x - m) of each row along size. A row
 * holding NaN or +Infinity, or only -Infinity, gives NaN throughout, as in PyTorch. */
typedef struct {
  int64_t outer, size, inner;
  int64_t so, ss, si;
} softmax_desc;

void softmax_f32(int take_log, const float *x, float *out, const softmax_desc *d);

#endif
