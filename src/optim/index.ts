/**
 * Optimizers and learning-rate schedulers (torch.optim), matching PyTorch 1.13's updates.
 *
 * @example
 * const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
 * const sched = new optim.lrScheduler.StepLR(opt, { stepSize: 10 });
 */
export {
  Optimizer,
  type BaseOptions,
  type ParamGroup,
  type ParamGroupInput,
  type Params,
  type ParamState,
  type StateValue,
  type OptimizerStateDict,
} from "./optimizer.js";
export { SGD, type SGDOptions } from "./sgd.js";
export { Adam, type AdamOptions } from "./adam.js";
export { AdamW } from "./adamw.js";
export { RMSprop, type RMSpropOptions } from "./rmsprop.js";
export { Adagrad, type AdagradOptions } from "./adagrad.js";
export { Adadelta, type AdadeltaOptions } from "./adadelta.js";
export { Adamax, type AdamaxOptions } from "./adamax.js";
export { NAdam, type NAdamOptions } from "./nadam.js";
export { RAdam, type RAdamOptions } from "./radam.js";
export { Rprop, type RpropOptions } from "./rprop.js";
export { ASGD, type ASGDOptions } from "./asgd.js";
export { LBFGS, type LBFGSOptions } from "./lbfgs.js";
export * as lrScheduler from "./lr-scheduler/index.js";
