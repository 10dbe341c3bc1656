/**
 * torch.nn.functional: layers and losses as functions. Exported as `nn.functional` and `nn.F`.
 *
 * @example
 * const loss = nn.F.crossEntropy(model.forward(x), labels);
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
  layerNorm,
  batchNorm,
  embedding,
  type BatchNormOptions,
} from "./layers.js";
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
