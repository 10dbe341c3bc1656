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
