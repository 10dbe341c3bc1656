/**
 * torch.nn.functional: layers and losses as functions. Exported as `nn.functional` and `nn.F`.
 *
 * @example
 * const loss = nn.F.crossEntropy(model(x), labels);
 */
export { relu, sigmoid, tanh } from "../../ops/unary.js";
export {
  softmax,
  logSoftmax,
  leakyRelu,
  elu,
  gelu,
  silu,
  softplus,
  hardtanh,
  relu6,
  mish,
  type GeluOptions,
  type SoftplusOptions,
} from "../../ops/activation.js";
export {
  linear,
  dropout,
  dropout2d,
  layerNorm,
  batchNorm,
  embedding,
  type BatchNormOptions,
} from "./layers.js";
// Convolution and pooling are tensor ops; nn.F re-exports them under PyTorch's functional names.
export { conv1d, conv2d, type ConvOptions, type Conv1dOptions } from "../../ops/conv.js";
export {
  convTranspose1d,
  convTranspose2d,
  type ConvTransposeOptions,
  type ConvTranspose1dOptions,
} from "../../ops/conv-transpose.js";
export { groupNorm, type GroupNormOptions } from "./group-norm.js";
export { avgPool2d, adaptiveAvgPool2d, type PoolOptions } from "../../ops/pool.js";
export {
  maxPool1d,
  maxPool2d,
  avgPool1d,
  type MaxPoolOptions,
  type Pool1dOptions,
  type PooledIndices,
} from "../../ops/max-pool.js";
export { pad, type PadMode } from "./padding.js";
export { interpolate, type InterpolateMode, type InterpolateOptions } from "./interpolate.js";
export { oneHot } from "./one-hot.js";
export { normalize, cosineSimilarity, type NormalizeOptions } from "./distance.js";
export {
  mseLoss,
  l1Loss,
  smoothL1Loss,
  huberLoss,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  klDiv,
  type KLDivReduction,
} from "./loss.js";
export {
  nllLoss,
  crossEntropy,
  type NLLLossOptions,
  type CrossEntropyOptions,
} from "./classification.js";
export { type Reduction, type ReductionOptions } from "./reduction.js";
export {
  scaledDotProductAttention,
  multiHeadAttentionForward,
  type SDPAOptions,
  type MHAParams,
  type MHAForwardOptions,
} from "./attention.js";
