/**
 * torch.distributions: Normal, Uniform, Bernoulli and Categorical with PyTorch's sampling
 * (the same draws for the same torch.manualSeed), logProb, entropy, moments and validation.
 *
 * @example
 * import { distributions, manualSeed, zeros } from "torchlet";
 * manualSeed(0);
 * const d = new distributions.Normal(zeros(3), 1);
 * const x = d.rsample(); const lp = d.logProb(x);
 */
export {
  Distribution,
  type DistributionOptions,
  type Param,
  type Constraint,
} from "./distribution.js";
export { Normal } from "./normal.js";
export { Uniform } from "./uniform.js";
export { Bernoulli, type BernoulliParams } from "./bernoulli.js";
export { Categorical, type CategoricalParams } from "./categorical.js";
