/**
 * torch.nn.utils: gradient clipping and, in `rnn`, packed sequences for the recurrent layers
 * (the nn barrel re-exports this as `nn.utils`).
 *
 * @example
 * loss.backward();
 * torch.nn.utils.clipGradNorm_(model.parameters(), 1.0);
 */
export { clipGradNorm_, clipGradValue_ } from "./clip-grad.js";
export * as rnn from "./rnn.js";
export { weightNorm, removeWeightNorm } from "./weight-norm.js";
export { parametersToVector, vectorToParameters } from "./parameters-vector.js";
