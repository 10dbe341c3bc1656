/* Node-API glue: reads typed arrays zero-copy (their data pointers) and calls the kernels.
 * The TypeScript side validates shapes, strides and dtypes before calling; the checks here are a
 * cheap second line (buffer extents, array types) so that no call can touch memory outside the
 * arrays it was given. */
#define NAPI_VERSION 8
#include <node_api.h>
#include <string.h>

#include "elementwise.h"
#include "gemm.h"
#include "memory.h"
#include "pool.h"
#include "softmax.h"
#include "windows.h"

static napi_value throw(napi_env env, const char *msg) {
  napi_throw_range_error(env, NULL, msg);
  return NULL;
}

typedef struct {
  napi_typedarray_type type;
  size_t length;
  void *data;
} array_arg;

static int get_array(napi_env env, napi_value v, array_arg *out) {
  bool is_ta = false;
  if (napi_is_typedarray(env, v, &is_ta) != napi_ok || !is_ta) return 0;
  return napi_get_typedarray_info(env, v, &out->type, &out->length, &out->data, NULL, NULL) == napi_ok;
}

static int get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv) {
  size_t argc = want;
  return napi_get_cb_info(env, info, &argc, argv, NULL, NULL) == napi_ok && argc == want;
}

static int64_t get_int(napi_env env, napi_value v) {
  int64_t x = -1;
  napi_get_value_int64(env, v, &x);
  return x;
}

/* gemm(a, b, out, params): params is a Float64Array
 * [batchDims, m, n, k, aOff, sam, sak, bOff, sbk, sbn, (size, aStride, bStride) per batch dim]. */
static napi_value js_gemm(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  array_arg a, b, c, p;
  if (!get_args(env, info, 4, argv)) return throw(env, "gemm: expected 4 arguments");
  if (!get_array(env, argv[0], &a) || !get_array(env, argv[1], &b) || !get_array(env, argv[2], &c) ||
      !get_array(env, argv[3], &p) || p.type != napi_float64_array || p.length < 10)
    return throw(env, "gemm: expected typed arrays");
  if (a.type != b.type || a.type != c.type || (a.type != napi_float32_array && a.type != napi_float64_array))
    return throw(env, "gemm: a, b and out must all be float32 or all float64");
  const double *q = p.data;
  gemm_desc d;
  memset(&d, 0, sizeof d);
  d.batch_dims = (int)q[0];
  if (d.batch_dims < 0 || d.batch_dims > GEMM_MAX_BATCH_DIMS || p.length < 10 + 3 * (size_t)d.batch_dims)
    return throw(env, "gemm: bad batch dims");
  d.m = (int64_t)q[1], d.n = (int64_t)q[2], d.k = (int64_t)q[3];
  d.a_off = (int64_t)q[4], d.sam = (int64_t)q[5], d.sak = (int64_t)q[6];
  d.b_off = (int64_t)q[7], d.sbk = (int64_t)q[8], d.sbn = (int64_t)q[9];
  int neg = d.m < 0 || d.n < 0 || d.k < 0 || d.a_off < 0 || d.sam < 0 || d.sak < 0 || d.b_off < 0 ||
            d.sbk < 0 || d.sbn < 0;
  for (int i = 0; i < d.batch_dims; i++) {
    d.batch_shape[i] = (int64_t)q[10 + 3 * i];
    d.a_bstride[i] = (int64_t)q[11 + 3 * i];
    d.b_bstride[i] = (int64_t)q[12 + 3 * i];
    neg |= d.batch_shape[i] < 0 || d.a_bstride[i] < 0 || d.b_bstride[i] < 0;
  }
  if (neg) return throw(env, "gemm: negative size, stride or offset");
  int64_t batches = gemm_batches(&d);
  if ((size_t)(batches * d.m * d.n) != c.length) return throw(env, "gemm: out has the wrong length");
  if (batches == 0 || d.m == 0 || d.n == 0) return NULL;
  if (d.k > 0 && (gemm_a_extent(&d) >= (int64_t)a.length || gemm_b_extent(&d) >= (int64_t)b.length))
    return throw(env, "gemm: a view reaches outside its buffer");
  if (a.type == napi_float32_array) gemm_f32(a.data, b.data, c.data, &d);
  else gemm_f64(a.data, b.data, c.data, &d);
  return NULL;
}

/* binary(op, a, aOffset, b, bOffset, out): dense float32, out.length elements; op is an ew_binary_op
 * or EW_RELU_GRAD. */
static napi_value js_binary(napi_env env, napi_callback_info info) {
  napi_value argv[6];
  array_arg a, b, o;
  if (!get_args(env, info, 6, argv) || !get_array(env, argv[1], &a) || !get_array(env, argv[3], &b) ||
      !get_array(env, argv[5], &o))
    return throw(env, "binary: bad arguments");
  int64_t op = get_int(env, argv[0]), oa = get_int(env, argv[2]), ob = get_int(env, argv[4]);
  int64_t n = (int64_t)o.length;
  if (a.type != napi_float32_array || b.type != napi_float32_array || o.type != napi_float32_array ||
      op < 0 || (op >= EW_BINARY_COUNT && op != EW_RELU_GRAD) || oa < 0 || ob < 0 || oa + n > (int64_t)a.length ||
      ob + n > (int64_t)b.length)
    return throw(env, "binary: bad arguments");
  ew_binary_f32((int)op, (const float *)a.data + oa, (const float *)b.data + ob, o.data, n);
  return NULL;
}

/* addScaled(a, aOffset, b, bOffset, alpha, out): out[i] = a[aOffset + i] + alpha * b[bOffset + i],
 * dense float32, out.length elements. */
static napi_value js_add_scaled(napi_env env, napi_callback_info info) {
  napi_value argv[6];
  array_arg a, b, o;
  double alpha = 0;
  if (!get_args(env, info, 6, argv) || !get_array(env, argv[0], &a) || !get_array(env, argv[2], &b) ||
      !get_array(env, argv[5], &o) || napi_get_value_double(env, argv[4], &alpha) != napi_ok)
    return throw(env, "addScaled: bad arguments");
  int64_t oa = get_int(env, argv[1]), ob = get_int(env, argv[3]), n = (int64_t)o.length;
  if (a.type != napi_float32_array || b.type != napi_float32_array || o.type != napi_float32_array ||
      oa < 0 || ob < 0 || oa + n > (int64_t)a.length || ob + n > (int64_t)b.length)
    return throw(env, "addScaled: bad arguments");
  ew_add_scaled_f32((const float *)a.data + oa, (const float *)b.data + ob, (float)alpha, o.data, n);
  return NULL;
}

/* binaryBroadcast(op, a, aOffset, aPeriod, aRepeat, b, bOffset, bPeriod, bRepeat, out):
 * out[i] = a[aOffset + (i / aRepeat) % aPeriod] op b[bOffset + (i / bRepeat) % bPeriod] over
 * out.length elements; period * repeat divides it. Ops 0-3 are add/sub/mul/div into a
 * Float32Array, 4-9 eq/ne/lt/le/gt/ge into a Uint8Array. */
static napi_value js_binary_bcast(napi_env env, napi_callback_info info) {
  napi_value argv[10];
  array_arg a, b, o;
  if (!get_args(env, info, 10, argv) || !get_array(env, argv[1], &a) || !get_array(env, argv[5], &b) ||
      !get_array(env, argv[9], &o))
    return throw(env, "binaryBroadcast: bad arguments");
  int64_t op = get_int(env, argv[0]), oa = get_int(env, argv[2]), pa = get_int(env, argv[3]);
  int64_t ra = get_int(env, argv[4]), ob = get_int(env, argv[6]), pb = get_int(env, argv[7]);
  int64_t rb = get_int(env, argv[8]), n = (int64_t)o.length;
  int compare = op >= EW_BINARY_COUNT;
  if (a.type != napi_float32_array || b.type != napi_float32_array ||
      o.type != (compare ? napi_uint8_array : napi_float32_array) || op < 0 || op >= EW_COMPARE_END ||
      oa < 0 || ob < 0 || pa < 1 || pb < 1 || ra < 1 || rb < 1 || pa > n || pb > n || ra > n ||
      rb > n || n % (pa * ra) != 0 || n % (pb * rb) != 0 || oa + pa > (int64_t)a.length ||
      ob + pb > (int64_t)b.length)
    return throw(env, "binaryBroadcast: bad arguments");
  if (compare)
    ew_compare_bcast_f32((int)op, (const float *)a.data + oa, pa, ra, (const float *)b.data + ob, pb, rb,
                         o.data, n);
  else
    ew_binary_bcast_f32((int)op, (const float *)a.data + oa, pa, ra, (const float *)b.data + ob, pb, rb,
                        o.data, n);
  return NULL;
}

/* unary(op, x, xOffset, out): dense float32, out.length elements. */
static napi_value js_unary(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  array_arg x, o;
  if (!get_args(env, info, 4, argv) || !get_array(env, argv[1], &x) || !get_array(env, argv[3], &o))
    return throw(env, "unary: bad arguments");
  int64_t op = get_int(env, argv[0]), ox = get_int(env, argv[2]), n = (int64_t)o.length;
  if (x.type != napi_float32_array || o.type != napi_float32_array || op < 0 || op >= EW_UNARY_COUNT ||
      ox < 0 || ox + n > (int64_t)x.length)
    return throw(env, "unary: bad arguments");
  ew_unary_f32((int)op, (const float *)x.data + ox, o.data, n);
  return NULL;
}

/* sum(x, xOffset, rows, cols, alongRows, out): dense float32 [rows, cols] summed over cols
 * (alongRows = 1, out has rows elements) or over rows (alongRows = 0, out has cols elements). */
/* a * b for a, b >= 0, or -1 when it exceeds limit (so sizes from JavaScript cannot overflow). */
static int64_t mul_upto(int64_t a, int64_t b, int64_t limit) {
  return a < 0 || b < 0 || (b != 0 && a > limit / b) ? -1 : a * b;
}

static napi_value js_sum(napi_env env, napi_callback_info info) {
  napi_value argv[6];
  array_arg x, o;
  if (!get_args(env, info, 6, argv) || !get_array(env, argv[0], &x) || !get_array(env, argv[5], &o))
    return throw(env, "sum: bad arguments");
  int64_t ox = get_int(env, argv[1]), rows = get_int(env, argv[2]), cols = get_int(env, argv[3]);
  int64_t along_rows = get_int(env, argv[4]);
  int64_t n = mul_upto(rows, cols, (int64_t)x.length);
  if (x.type != napi_float32_array || o.type != napi_float32_array || ox < 0 || n < 0 ||
      ox + n > (int64_t)x.length || (int64_t)o.length != (along_rows ? rows : cols))
    return throw(env, "sum: bad arguments");
  if (along_rows) ew_sum_rows_f32((const float *)x.data + ox, o.data, rows, cols);
  else ew_sum_cols_f32((const float *)x.data + ox, o.data, rows, cols);
  return NULL;
}

/* sumDims(x, xOffset, dims, out): dims is a Float64Array [nd, size_0, reduced_0, size_1, ...];
 * sums the dense float32 tensor at xOffset over the dims marked reduced (1) into out (the kept
 * dims' elements), in the reference backend's order. */
static napi_value js_sum_dims(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  array_arg x, p, o;
  if (!get_args(env, info, 4, argv) || !get_array(env, argv[0], &x) || !get_array(env, argv[2], &p) ||
      !get_array(env, argv[3], &o) || x.type != napi_float32_array || p.type != napi_float64_array ||
      o.type != napi_float32_array || p.length < 1)
    return throw(env, "sumDims: bad arguments");
  const double *q = p.data;
  int64_t ox = get_int(env, argv[1]), nd = (int64_t)q[0];
  if (nd < 1 || nd > 64 || p.length != 1 + 2 * (size_t)nd || ox < 0)
    return throw(env, "sumDims: bad arguments");
  int64_t shape[64], total = 1, outn = 1;
  int reduced[64];
  for (int64_t d = 0; d < nd; d++) {
    shape[d] = (int64_t)q[1 + 2 * d], reduced[d] = q[2 + 2 * d] != 0;
    total = mul_upto(total, shape[d], (int64_t)1 << 53);
    if (total < 0) return throw(env, "sumDims: bad arguments");
    if (!reduced[d]) outn = mul_upto(outn, shape[d], (int64_t)1 << 53);
    if (outn < 0) return throw(env, "sumDims: bad arguments");
  }
  if (ox + total > (int64_t)x.length || outn != (int64_t)o.length)
    return throw(env, "sumDims: bad arguments");
  if (!ew_sum_dims_f32((const float *)x.data + ox, o.data, (int)nd, shape, reduced))
    return throw(env, "sumDims: out of memory");
  return NULL;
}

/* copyStrided(src, dst, params): src and dst both Float32Array or both Int32Array, distinct
 * buffers; params a Float64Array [nd, srcOffset, dstOffset, (size, srcStride, dstStride) per dim]
 * (strides in elements, any sign). Every element either view reaches must be inside its array. */
static napi_value js_copy_strided(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  array_arg s, d, p;
  if (!get_args(env, info, 3, argv) || !get_array(env, argv[0], &s) || !get_array(env, argv[1], &d) ||
      !get_array(env, argv[2], &p) || p.type != napi_float64_array || p.length < 3 || s.type != d.type ||
      (s.type != napi_float32_array && s.type != napi_int32_array))
    return throw(env, "copyStrided: bad arguments");
  const double *q = p.data;
  int64_t nd = (int64_t)q[0], so = (int64_t)q[1], dof = (int64_t)q[2];
  if (nd < 1 || nd > 64 || p.length != 3 + 3 * (size_t)nd) return throw(env, "copyStrided: bad arguments");
  int64_t shape[64], sst[64], dst_st[64];
  int64_t lo_s = so, hi_s = so, lo_d = dof, hi_d = dof, limit = (int64_t)1 << 52, empty = 0;
  for (int64_t k = 0; k < nd; k++) {
    shape[k] = (int64_t)q[3 + 3 * k], sst[k] = (int64_t)q[4 + 3 * k], dst_st[k] = (int64_t)q[5 + 3 * k];
    if (shape[k] < 0 || shape[k] > limit || sst[k] < -limit || sst[k] > limit || dst_st[k] < -limit ||
        dst_st[k] > limit)
      return throw(env, "copyStrided: bad arguments");
    if (shape[k] == 0) empty = 1;
  }
  if (empty) return NULL;
  for (int64_t k = 0; k < nd; k++) {
    /* (size - 1) * |stride| stays below the buffer's length, or the view cannot fit. */
    int64_t as = sst[k] < 0 ? -sst[k] : sst[k], ad = dst_st[k] < 0 ? -dst_st[k] : dst_st[k];
    int64_t es = mul_upto(shape[k] - 1, as, (int64_t)s.length), ed = mul_upto(shape[k] - 1, ad, (int64_t)d.length);
    if (es < 0 || ed < 0) return throw(env, "copyStrided: a view reaches outside its buffer");
    if (sst[k] < 0) lo_s -= es; else hi_s += es;
    if (dst_st[k] < 0) lo_d -= ed; else hi_d += ed;
    if (hi_s >= (int64_t)s.length || hi_d >= (int64_t)d.length || lo_s < -limit || lo_d < -limit)
      return throw(env, "copyStrided: a view reaches outside its buffer");
  }
  if (lo_s < 0 || lo_d < 0) return throw(env, "copyStrided: a view reaches outside its buffer");
  ew_copy_strided_u32((const uint32_t *)s.data + so, (uint32_t *)d.data + dof, (int)nd, shape, sst, dst_st);
  return NULL;
}

/* extreme(op, x, xOffset, rows, cols, alongRows, out): op 0/1 = max/min values into a
 * Float32Array, 2/3 = argmax/argmin indices into an Int32Array, of each row (alongRows = 1) or
 * column of the dense float32 rows x cols matrix at xOffset. */
static napi_value js_extreme(napi_env env, napi_callback_info info) {
  napi_value argv[7];
  array_arg x, o;
  if (!get_args(env, info, 7, argv) || !get_array(env, argv[1], &x) || !get_array(env, argv[6], &o))
    return throw(env, "extreme: bad arguments");
  int64_t op = get_int(env, argv[0]), ox = get_int(env, argv[2]), rows = get_int(env, argv[3]);
  int64_t cols = get_int(env, argv[4]), along_rows = get_int(env, argv[5]);
  int64_t n = mul_upto(rows, cols, (int64_t)x.length);
  int indices = op >= 2;
  if (x.type != napi_float32_array || o.type != (indices ? napi_int32_array : napi_float32_array) ||
      op < 0 || op > 3 || ox < 0 || n < 0 || ox + n > (int64_t)x.length ||
      (int64_t)o.length != (along_rows ? rows : cols))
    return throw(env, "extreme: bad arguments");
  ew_extreme_f32(op % 2 == 0, (const float *)x.data + ox, rows, cols, along_rows != 0,
                 indices ? NULL : o.data, indices ? o.data : NULL);
  return NULL;
}

/* softmax(op, x, xOffset, outer, size, inner, outerStride, sizeStride, innerStride, out): float32
 * x strided [outer, size, inner] from xOffset, normalised along size (op 0: softmax, 1:
 * log-softmax) into dense out of outer * size * inner elements. */
static napi_value js_softmax(napi_env env, napi_callback_info info) {
  napi_value argv[10];
  array_arg x, o;
  if (!get_args(env, info, 10, argv) || !get_array(env, argv[1], &x) || !get_array(env, argv[9], &o))
    return throw(env, "softmax: bad arguments");
  int64_t op = get_int(env, argv[0]), ox = get_int(env, argv[2]);
  softmax_desc d = {get_int(env, argv[3]), get_int(env, argv[4]), get_int(env, argv[5]),
                    get_int(env, argv[6]), get_int(env, argv[7]), get_int(env, argv[8])};
  int64_t n = (int64_t)o.length, xn = (int64_t)x.length;
  if (x.type != napi_float32_array || o.type != napi_float32_array || (op != 0 && op != 1) || ox < 0 ||
      d.so < 0 || d.ss < 0 || d.si < 0 || mul_upto(mul_upto(d.outer, d.size, n), d.inner, n) != n)
    return throw(env, "softmax: bad arguments");
  if (n == 0) return NULL;
  /* The last element the view reaches; each term is checked against the buffer on its own. */
  int64_t last_o = mul_upto(d.outer - 1, d.so, xn), last_s = mul_upto(d.size - 1, d.ss, xn);
  int64_t last_i = mul_upto(d.inner - 1, d.si, xn);
  if (ox >= xn || last_o < 0 || last_s < 0 || last_i < 0 || ox + last_o + last_s + last_i >= xn)
    return throw(env, "softmax: the view reaches outside its buffer");
  softmax_f32((int)op, (const float *)x.data + ox, o.data, &d);
  return NULL;
}

/* Reads the window geometry [P, H, W, sP, sH, sW, off, oH, oW, kH, kW, strideH, strideW, dilH,
 * dilW, padT, padL] (a Float64Array); 0 when a size is negative or a step not positive. */
static int get_windows(napi_env env, napi_value v, win_desc *d) {
  array_arg p;
  if (!get_array(env, v, &p) || p.type != napi_float64_array || p.length != WIN_PARAMS) return 0;
  const double *q = p.data;
  int64_t *fields[WIN_PARAMS] = {&d->planes,   &d->h,        &d->w,     &d->sp,    &d->sh,
                                 &d->sw,       &d->off,      &d->oh,    &d->ow,    &d->kh,
                                 &d->kw,       &d->stride_h, &d->stride_w, &d->dil_h, &d->dil_w,
                                 &d->pad_t,    &d->pad_l};
  for (int i = 0; i < WIN_PARAMS; i++) *fields[i] = (int64_t)q[i];
  return d->planes >= 0 && d->h >= 0 && d->w >= 0 && d->sp >= 0 && d->sh >= 0 && d->sw >= 0 &&
           d->off >= 0 && d->oh >= 0 && d->ow >= 0 && d->kh >= 1 && d->kw >= 1 &&
           d->stride_h >= 1 && d->stride_w >= 1 && d->dil_h >= 1 && d->dil_w >= 1 &&
           d->pad_t >= 0 && d->pad_l >= 0;
}

/* The last element a strided [P, H, W] input view reaches, +1 (0 for an empty one). */
static int64_t planes_extent(const win_desc *d) {
  if (d->planes == 0 || d->h == 0 || d->w == 0) return 0;
  return d->off + (d->planes - 1) * d->sp + (d->h - 1) * d->sh + (d->w - 1) * d->sw + 1;
}

static int64_t cols_length(const win_desc *d) { return d->planes * d->kh * d->kw * d->oh * d->ow; }

/* im2col(x, windows, out): float32; x strided [P, H, W], out dense [P, kH, kW, oH, oW]. */
static napi_value js_im2col(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  array_arg x, o;
  win_desc d;
  if (!get_args(env, info, 3, argv) || !get_array(env, argv[0], &x) ||
      !get_windows(env, argv[1], &d) || !get_array(env, argv[2], &o) ||
      x.type != napi_float32_array || o.type != napi_float32_array ||
      planes_extent(&d) > (int64_t)x.length || cols_length(&d) != (int64_t)o.length)
    return throw(env, "im2col: bad arguments");
  win_im2col_f32(x.data, o.data, &d);
  return NULL;
}

/* col2im(cols, windows, out): float32; cols dense [P, kH, kW, oH, oW] at off, out [P, H, W]. */
static napi_value js_col2im(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  array_arg c, o;
  win_desc d;
  if (!get_args(env, info, 3, argv) || !get_array(env, argv[0], &c) ||
      !get_windows(env, argv[1], &d) || !get_array(env, argv[2], &o) ||
      c.type != napi_float32_array || o.type != napi_float32_array ||
      d.off + cols_length(&d) > (int64_t)c.length || d.planes * d.h * d.w != (int64_t)o.length)
    return throw(env, "col2im: bad arguments");
  win_col2im_f32(c.data, o.data, &d);
  return NULL;
}

/* maxPool2d(x, windows, values, indices): float32 x strided [P, H, W]; values, indices
 * [P, oH, oW]. A window with no input position reads nothing (PyTorch's index, -Infinity). */
static napi_value js_maxpool(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  array_arg x, v, ix;
  win_desc d;
  if (!get_args(env, info, 4, argv) || !get_array(env, argv[0], &x) ||
      !get_windows(env, argv[1], &d) || !get_array(env, argv[2], &v) ||
      !get_array(env, argv[3], &ix) || x.type != napi_float32_array ||
      v.type != napi_float32_array || ix.type != napi_int32_array ||
      planes_extent(&d) > (int64_t)x.length || d.planes * d.oh * d.ow != (int64_t)v.length ||
      (int64_t)ix.length != (int64_t)v.length)
    return throw(env, "maxPool2d: bad arguments");
  win_maxpool_f32(x.data, v.data, ix.data, &d);
  return NULL;
}

static napi_value make_int(napi_env env, int64_t v) {
  napi_value r;
  napi_create_int64(env, v, &r);
  return r;
}

static napi_value make_string(napi_env env, const char *s) {
  napi_value r;
  napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &r);
  return r;
}

static napi_value js_set_num_threads(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!get_args(env, info, 1, argv)) return throw(env, "setNumThreads: expected 1 argument");
  int64_t n = get_int(env, argv[0]);
  if (n < 1) return throw(env, "setNumThreads: expected a positive number of threads");
  pool_set_threads((int)(n > 1024 ? 1024 : n));
  return NULL;
}

static napi_value js_get_num_threads(napi_env env, napi_callback_info info) {
  (void)info;
  return make_int(env, pool_get_threads());
}

/* setIsa("avx512" | "avx2" | "portable" | "best"): returns the ISA now in use (clamped to the CPU). */
static napi_value js_set_isa(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  char name[16] = {0};
  size_t len = 0;
  if (!get_args(env, info, 1, argv) ||
      napi_get_value_string_utf8(env, argv[0], name, sizeof name, &len) != napi_ok)
    return throw(env, "setIsa: expected a name");
  gemm_isa isa = strcmp(name, "avx512") == 0 ? ISA_AVX512
                 : strcmp(name, "avx2") == 0 ? ISA_AVX2
                 : strcmp(name, "portable") == 0 ? ISA_PORTABLE
                                                 : gemm_best_isa();
  return make_string(env, gemm_isa_name(gemm_force_isa(isa)));
}

static napi_value js_get_isa(napi_env env, napi_callback_info info) {
  (void)info;
  return make_string(env, gemm_isa_name(gemm_current_isa()));
}

static napi_value js_best_isa(napi_env env, napi_callback_info info) {
  (void)info;
  return make_string(env, gemm_isa_name(gemm_best_isa()));
}

/* setEager(bool): tests thread even tiny calls so the threaded paths are exercised. */
static napi_value js_set_eager(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  bool on = false;
  if (!get_args(env, info, 1, argv) || napi_get_value_bool(env, argv[0], &on) != napi_ok)
    return throw(env, "setEager: expected a boolean");
  pool_set_eager(on);
  return NULL;
}

static int malloc_tuned = 0;

static napi_value js_malloc_tuned(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value v;
  napi_get_boolean(env, malloc_tuned, &v);
  return v;
}

static napi_value init(napi_env env, napi_value exports) {
  malloc_tuned = memory_tune_malloc();
  napi_property_descriptor props[] = {
      {"gemm", NULL, js_gemm, NULL, NULL, NULL, napi_enumerable, NULL},
      {"binary", NULL, js_binary, NULL, NULL, NULL, napi_enumerable, NULL},
      {"addScaled", NULL, js_add_scaled, NULL, NULL, NULL, napi_enumerable, NULL},
      {"binaryBroadcast", NULL, js_binary_bcast, NULL, NULL, NULL, napi_enumerable, NULL},
      {"unary", NULL, js_unary, NULL, NULL, NULL, napi_enumerable, NULL},
      {"sum", NULL, js_sum, NULL, NULL, NULL, napi_enumerable, NULL},
      {"sumDims", NULL, js_sum_dims, NULL, NULL, NULL, napi_enumerable, NULL},
      {"copyStrided", NULL, js_copy_strided, NULL, NULL, NULL, napi_enumerable, NULL},
      {"extreme", NULL, js_extreme, NULL, NULL, NULL, napi_enumerable, NULL},
      {"softmax", NULL, js_softmax, NULL, NULL, NULL, napi_enumerable, NULL},
      {"im2col", NULL, js_im2col, NULL, NULL, NULL, napi_enumerable, NULL},
      {"col2im", NULL, js_col2im, NULL, NULL, NULL, napi_enumerable, NULL},
      {"maxPool2d", NULL, js_maxpool, NULL, NULL, NULL, napi_enumerable, NULL},
      {"setNumThreads", NULL, js_set_num_threads, NULL, NULL, NULL, napi_enumerable, NULL},
      {"getNumThreads", NULL, js_get_num_threads, NULL, NULL, NULL, napi_enumerable, NULL},
      {"setIsa", NULL, js_set_isa, NULL, NULL, NULL, napi_enumerable, NULL},
      {"getIsa", NULL, js_get_isa, NULL, NULL, NULL, napi_enumerable, NULL},
      {"bestIsa", NULL, js_best_isa, NULL, NULL, NULL, napi_enumerable, NULL},
      {"setEager", NULL, js_set_eager, NULL, NULL, NULL, napi_enumerable, NULL},
      {"mallocTuned", NULL, js_malloc_tuned, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE_INIT() { return init(env, exports); }
