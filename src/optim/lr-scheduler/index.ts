/**
 * torch.optim.lr_scheduler (torchlet's `optim.lrScheduler`): schedules that set each parameter
 * group's lr from the epoch count, with PyTorch 1.13's formulas and state dicts.
 *
 * @example
 * const sched = new torch.optim.lrScheduler.CosineAnnealingLR(opt, { tMax: 100 });
 * for (let epoch = 0; epoch < 100; epoch++) { train(); sched.step(); }
 */
export { LRScheduler, type SchedulerStateDict } from "./base.js";
export {
  StepLR,
  MultiStepLR,
  ExponentialLR,
  CosineAnnealingLR,
  LambdaLR,
  LinearLR,
  type LrLambda,
} from "./schedulers.js";
export { OneCycleLR, type OneCycleLROptions } from "./one-cycle.js";
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from "./plateau.js";
export { MultiplicativeLR, ConstantLR, PolynomialLR } from "./factor.js";
export { CyclicLR, type CyclicLROptions, type CyclicScaleFn } from "./cyclic.js";
export { CosineAnnealingWarmRestarts } from "./warm-restarts.js";
export { SequentialLR, ChainedScheduler } from "./composite.js";
