export { grad, type GradOptions } from "./grad.js";
export {
  noGrad,
  enableGrad,
  isGradEnabled,
  setGradEnabled,
  inferenceMode,
  isInferenceModeEnabled,
} from "./grad-mode.js";
export { Node } from "./node.js";
export { gradcheck, gradgradcheck, GradcheckError, type GradcheckOptions } from "./gradcheck.js";
export {
  Function,
  type FunctionClass,
  type FunctionOutputs,
  type FunctionGradients,
  type ForwardArgs,
  type ForwardResult,
} from "./function.js";
export { FunctionCtx } from "./function-ctx.js";
