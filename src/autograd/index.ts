/**
 * torch.autograd: gradients of tensors (grad), grad mode (noGrad, enableGrad), custom
 * differentiable Functions, the backward graph's Node, and gradcheck against finite differences.
 *
 * @example
 * const x = torch.randn([3], { requiresGrad: true });
 * const [dx] = torch.autograd.grad(x.pow(2).sum(), [x]); // 2 * x
 */
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
