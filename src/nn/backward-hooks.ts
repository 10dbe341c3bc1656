/**
 * Full backward hooks (torch.utils.hooks.BackwardHook): a module's tensor inputs and outputs
 * pass through an identity autograd Function each way, so the backward pass tells the hooks the
 * gradient of the loss with respect to the module's outputs (`gradOutput`) and then with
 * respect to its inputs (`gradInput`); a hook may return a replacement `gradInput`.
 */
import { Function, type FunctionCtx } from "../autograd/index.js";
import { ValueError } from "../errors.js";
import { Tensor } from "../tensor/tensor.js";
import type { Module } from "./module.js";

/** Gradients as the hooks see them: one per tensor, null where none flows. */
export type Gradients = (Tensor | null)[];

/**
 * Runs during backward with the gradients of the module's tensor inputs and outputs; returning
 * an array replaces `gradInput` (torch.nn.Module.register_full_backward_hook).
 */
export type FullBackwardHook<M extends Module = Module> = (
  module: M,
  gradInput: Gradients,
  gradOutput: Gradients,
) => Gradients | void | null;

type OnGrads = (grads: Gradients) => Gradients;

/** The identity on its tensor arguments; its backward hands the gradients to `onGrads`. */
class BackwardHookFunction extends Function {
  static override forward(
    ctx: FunctionCtx & { onGrads: OnGrads },
    onGrads: OnGrads,
    ...tensors: Tensor[]
  ): Tensor[] {
    ctx.onGrads = onGrads;
    return tensors;
  }

  static override backward(
    ctx: FunctionCtx & { onGrads: OnGrads },
    ...grads: (Tensor | null)[]
  ): (Tensor | null)[] {
    return [null, ...ctx.onGrads(grads)];
  }
}

/** Passes the tensors among `values` through the identity Function; other values stay. */
function wrapTensors(values: unknown[], onGrads: OnGrads): unknown[] | null {
  const at: number[] = [];
  values.forEach((v, i) => {
    if (v instanceof Tensor) at.push(i);
  });
  if (!at.some((i) => (values[i] as Tensor).requiresGrad)) return null;
  const wrapped = BackwardHookFunction.apply(onGrads, ...at.map((i) => values[i] as Tensor));
  const out = [...values];
  at.forEach((i, k) => (out[i] = wrapped[k]));
  return out;
}

/**
 * One module call's backward hooks: `setupInputs` before forward, `setupOutput` after, as
 * PyTorch's BackwardHook.setup_input_hook / setup_output_hook.
 */
export class BackwardHookCall {
  private gradOutputs: Gradients | null = null;
  private inputCount = 0;
  private inputsHooked = false;

  constructor(
    private readonly module: Module,
    private readonly hooks: readonly FullBackwardHook[],
  ) {}

  private runHooks(gradInput: Gradients): Gradients {
    let grads = gradInput;
    for (const hook of this.hooks) {
      const result = hook(this.module, grads, this.gradOutputs ?? []);
      if (result === undefined || result === null) continue;
      if (!Array.isArray(result) || result.length !== grads.length) {
        throw new ValueError(
          `Backward hook returned an invalid number of grad_input, got ${
            Array.isArray(result) ? result.length : 1
          }, but expected ${grads.length}`,
        );
      }
      grads = result;
    }
    return grads;
  }

  setupInputs(args: unknown[]): unknown[] {
    this.inputCount = args.filter((a) => a instanceof Tensor).length;
    const wrapped = wrapTensors(args, (grads) => this.runHooks(grads));
    this.inputsHooked = wrapped !== null;
    return wrapped ?? args;
  }

  setupOutput(output: unknown): unknown {
    const onGrads: OnGrads = (grads) => {
      this.gradOutputs = grads;
      // No input needs a gradient: the hooks run now, with null for every input (PyTorch).
      if (!this.inputsHooked) this.runHooks(new Array<Tensor | null>(this.inputCount).fill(null));
      return grads;
    };
    if (output instanceof Tensor) return (wrapTensors([output], onGrads) ?? [output])[0];
    if (Array.isArray(output)) return wrapTensors(output, onGrads) ?? output;
    return output;
  }
}
