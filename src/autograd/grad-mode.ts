import { checkFunction } from "../validation/arguments.js";
let gradEnabled = true;

/**
 * Whether ops record the graph for backward now (torch.is_grad_enabled).
 *
 * @example
 * torch.noGrad(() => torch.isGradEnabled()); // false
 */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/**
 * Sets grad mode globally and returns the previous value (torch.set_grad_enabled).
 *
 * @example
 * torch.setGradEnabled(false); // later: torch.setGradEnabled(true)
 */
export function setGradEnabled(enabled: boolean): boolean {
  const previous = gradEnabled;
  gradEnabled = enabled;
  return previous;
}

function withGradMode<T>(enabled: boolean, fn: () => T): T {
  checkFunction(enabled ? "enableGrad" : "noGrad", "fn", fn);
  const previous = setGradEnabled(enabled);
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/**
 * Runs `fn` without recording the graph (torch.no_grad), restoring the mode even if `fn` throws.
 * For an async `fn` the mode covers only its synchronous part, so await inside is not covered.
 *
 * @example
 * noGrad(() => { for (const p of model.parameters()) p.sub_(p.grad!.mul(lr)); });
 */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

/**
 * Runs `fn` with graph recording on, inside a `noGrad` region too (torch.enable_grad).
 *
 * @example
 * noGrad(() => enableGrad(() => x.mul(2))).requiresGrad; // true when x requires grad
 */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, fn);
}

let inferenceDepth = 0;

/**
 * Whether torch.inferenceMode is on now (torch.is_inference_mode_enabled).
 *
 * @example
 * torch.inferenceMode(() => torch.isInferenceModeEnabled()); // true
 */
export function isInferenceModeEnabled(): boolean {
  return inferenceDepth > 0;
}

/**
 * Runs `fn` in inference mode (torch.inference_mode): as `noGrad`, and every tensor made inside
 * is an inference tensor (`t.isInference()`), which autograd refuses to record later and which
 * may not be updated in place outside inference mode. Views made inside of normal tensors stay
 * normal, as in PyTorch.
 *
 * @example
 * const logits = torch.inferenceMode(() => model(x));
 * logits.isInference(); // true
 */
export function inferenceMode<T>(fn: () => T): T {
  inferenceDepth++;
  try {
    return withGradMode(false, fn);
  } finally {
    inferenceDepth--;
  }
}
