/* The window kernels of convolution and pooling over float32 [P, H, W] planes (im2col, col2im,
 * max pooling with indices), split across the thread pool by planes. Same loops and the same
 * order of additions as the reference backend (src/backend/reference/windows.ts), so results
 * are bit-for-bit equal. */
#ifndef TORCHLET_WINDOWS_H
#define TORCHLET_WINDOWS_H
#include <stdint.h>

typedef struct {
  int64_t planes, h, w;            /* input planes [P, H, W] */
  int64_t sp, sh, sw, off;         /* strides and offset of the strided input (im2col, max pool) */
  int64_t oh, ow;                  /* windows down and across */
  int64_t kh, kw;                  /* kernel */
  int64_t stride_h, stride_w;
  int64_t dil_h, dil_w;
  int64_t pad_t, pad_l;            /* implicit padding before the first row / column */
} win_desc;

#define WIN_PARAMS 17

/* out [P, kH, kW, oH, oW] (dense) from x at d->off with d's strides; 0 in padding. */
void win_im2col_f32(const float *x, float *out, const win_desc *d);
/* out [P, H, W] (dense, overwritten) = sum of dense cols [P, kH, kW, oH, oW] at d->off. */
void win_col2im_f32(const float *cols, float *out, const win_desc *d);
/* values/indices [P, oH, oW]: PyTorch's max_pool2d_with_indices rule. */
void win_maxpool_f32(const float *x, float *values, int32_t *indices, const win_desc *d);

#endif
