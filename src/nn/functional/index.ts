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
export { avgPool2d, adaptiveAvgPool2d, type PoolOptions } from "../../ops/pool.js";
export {
  maxPool1d,
  maxPool2d,
  avgPool1d,
  type MaxPoolOptions,
  type Pool1dOptions,
  type PooledIndices,
} from "../../ops/max-pool.js";
export { pad } from "../../ops/pad.js";
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
