/**
 * torch.nn: modules, layers, losses, initialisers and the functional API.
 *
 * @example
 * import { nn } from "torchlet";
 * const model = new nn.Sequential(new nn.Linear(2, 8), new nn.ReLU(), new nn.Linear(8, 1));
 * const loss = nn.F.mseLoss(model(x), y);
 */
export { Module } from "./module.js";
export {
  registerModuleForwardPreHook,
  registerModuleForwardHook,
  registerModuleFullBackwardHook,
  RemovableHandle,
  type ForwardHook,
  type ForwardPreHook,
} from "./hooks.js";
export type { FullBackwardHook, Gradients } from "./backward-hooks.js";
export { Parameter } from "./parameter.js";
export { StateDictError, type LoadResult, type StateDictLike } from "./state-dict.js";
export { Sequential, ModuleList, ModuleDict } from "./containers.js";
export { Linear, Identity } from "./linear.js";
export { Flatten, Unflatten } from "./flatten.js";
export { Dropout, Dropout2d } from "./dropout.js";
export { Conv1d, Conv2d, type ConvModuleOptions } from "./conv.js";
export {
  ConvTranspose1d,
  ConvTranspose2d,
  type ConvTransposeModuleOptions,
} from "./conv-transpose.js";
export { GroupNorm, Upsample, type UpsampleOptions } from "./group-norm.js";
export {
  MaxPool1d,
  MaxPool2d,
  AvgPool1d,
  AvgPool2d,
  AdaptiveAvgPool2d,
  type MaxPoolOutput,
  type AvgPoolModuleOptions,
} from "./pooling.js";
export { Embedding } from "./embedding.js";
export {
  RNNBase,
  RNN,
  LSTM,
  GRU,
  RNNCellBase,
  RNNCell,
  LSTMCell,
  GRUCell,
  type RNNBaseOptions,
  type RNNCellOptions,
  type RNNInput,
  type RNNOutput,
} from "./rnn/index.js";
export {
  LayerNorm,
  BatchNormBase,
  BatchNorm1d,
  BatchNorm2d,
  type BatchNormModuleOptions,
} from "./normalization.js";
export {
  ReLU,
  Sigmoid,
  Tanh,
  LeakyReLU,
  GELU,
  ELU,
  SiLU,
  Softplus,
  Hardtanh,
  Softmax,
  LogSoftmax,
} from "./activation.js";
export {
  MSELoss,
  L1Loss,
  SmoothL1Loss,
  HuberLoss,
  BCELoss,
  BCEWithLogitsLoss,
  CrossEntropyLoss,
  NLLLoss,
  KLDivLoss,
} from "./loss.js";
export * as init from "./init.js";
export * as functional from "./functional/index.js";
export * as F from "./functional/index.js";
export * as utils from "./utils/index.js";
export { MultiheadAttention, type MultiheadAttentionOptions } from "./attention.js";
export {
  TransformerEncoderLayer,
  TransformerEncoder,
  TransformerDecoderLayer,
  TransformerDecoder,
  Transformer,
  type Activation,
  type TransformerLayerOptions,
  type TransformerOptions,
  type EncoderForwardOptions,
  type DecoderForwardOptions,
  type TransformerForwardOptions,
} from "./transformer.js";
export { deepcopy } from "./clone.js";
