// torch.nn.utils: the nn barrel re-exports this as `nn.utils`.
export { clipGradNorm_, clipGradValue_ } from "./clip-grad.js";
export * as rnn from "./rnn.js";
export { weightNorm, removeWeightNorm } from "./weight-norm.js";
export { parametersToVector, vectorToParameters } from "./parameters-vector.js";
