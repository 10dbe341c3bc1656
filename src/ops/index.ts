// Importing this module attaches every op's Tensor methods; the free functions are re-exported
// by name, so the helpers op files share with each other (kernels runners, argument parsers)
// stay internal (test/api/public-names.test.ts keeps this list honest).
export { clone, contiguous, to, type ToOptions } from "./cast.js";
export { add, atan2, div, maximum, minimum, mul, pow, remainder, sub, where } from "./binary.js";
export {
  eq,
  ge,
  gt,
  isfinite,
  isinf,
  isnan,
  le,
  logicalAnd,
  logicalNot,
  logicalOr,
  logicalXor,
  lt,
  ne,
} from "./compare.js";
export {
  abs,
  ceil,
  cos,
  erf,
  exp,
  expm1,
  floor,
  log,
  log1p,
  neg,
  reciprocal,
  relu,
  round,
  rsqrt,
  sigmoid,
  sign,
  sin,
  sqrt,
  tanh,
  trunc,
} from "./unary.js";
export { clamp, clampMax, clampMin, clip, type ClampBound, type ClampOptions } from "./clamp.js";
export {
  expand,
  flatten,
  narrow,
  permute,
  reshape,
  select,
  slice,
  squeeze,
  transpose,
  unflatten,
  unsqueeze,
  view,
} from "./view.js";
export {
  amax,
  amin,
  argmax,
  argmin,
  logsumexp,
  max,
  mean,
  min,
  norm,
  prod,
  std,
  sum,
  var,
  variance,
} from "./reduce.js";
export { bmm, dot, matmul, mm, outer } from "./linalg.js";
export { fill_ } from "./inplace.js";
export type { TensorLike } from "./support.js";
export { pad } from "./pad.js";
export { conv1d, conv2d } from "./conv.js";
export { adaptiveAvgPool2d, avgPool2d } from "./pool.js";
export { cat, chunk, split, stack, unbind } from "./join.js";
export { gather, indexSelect, maskedFill, maskedSelect, scatter, scatterAdd } from "./indexing.js";
export { flip, repeat, roll, tile, tril, triu } from "./rearrange.js";
export { index, indexPut, indexPut_ } from "./slicing.js";
export {
  elu,
  gelu,
  hardtanh,
  leakyRelu,
  logSoftmax,
  mish,
  relu6,
  silu,
  softmax,
  softplus,
} from "./activation.js";
export { avgPool1d, maxPool1d, maxPool2d } from "./max-pool.js";
export { argsort, msort, sort, topk, type SortOptions, type TopkOptions } from "./sort.js";
export { cummax, cummin, cumprod, cumsum, logcumsumexp, type ScanOptions } from "./cumulative.js";
export {
  allclose,
  isclose,
  nanToNum,
  square,
  type CloseOptions,
  type NanToNumOptions,
} from "./numeric.js";
export { all, any, argwhere, nonzero } from "./logical.js";
export { addmm, baddbmm, diag, diagonal, meshgrid, trace, type AddmmOptions } from "./matrix.js";
export { einsum } from "./einsum.js";
export {
  bucketize,
  repeatInterleave,
  searchsorted,
  unique,
  type SearchOptions,
  type UniqueOptions,
  type UniqueResult,
} from "./sets.js";
import "./factory-methods.js";
