import { AutogradError, NotImplementedError } from "../errors.js";
import { isFloatingPoint } from "../tensor/dtype.js";
import { Tensor } from "../tensor/tensor.js";
import { gradientEdge } from "./engine.js";
import { ctxState, FunctionCtx } from "./function-ctx.js";
import { CustomFunctionNode, FunctionOutputNode, type UserBackward } from "./function-node.js";
import { isGradEnabled, noGrad } from "./grad-mode.js";
import { saveTensor, type InputMeta, type Node, type SavedTensor } from "./node.js";

/** What a custom Function's `forward` returns: one tensor, or several (a tuple). */
export type FunctionOutputs = Tensor | readonly Tensor[];

/** What `backward` returns: one gradient per argument of `forward`, null for none. */
export type FunctionGradients = Tensor | null | readonly (Tensor | null)[];

/** The static side of a custom Function class, as `apply` needs it. */
export interface FunctionClass {
  readonly name: string;
  forward(ctx: never, ...args: never[]): FunctionOutputs;
  backward(ctx: never, ...grads: never[]): FunctionGradients;
}

/** The arguments of a Function class's `forward` after `ctx`: what `apply` takes. */
export type ForwardArgs<C> = C extends { forward(ctx: never, ...args: infer A): unknown }
  ? A
  : never;

/** The return type of a Function class's `forward`: what `apply` returns. */
export type ForwardResult<C> = C extends { forward(...args: never[]): infer R } ? R : never;

/**
 * A differentiable operation with a hand-written gradient (torch.autograd.Function): subclass
 * it with a static `forward(ctx, ...args)` and a static `backward(ctx, ...gradOutputs)` that
 * returns one gradient per argument of `forward` (null for none, and for non-tensor arguments),
 * and call it with `MyFn.apply(...args)`. `forward` runs without recording a graph; `backward`
 * runs with grad mode on only under `createGraph`, so a `backward` written with tensor ops
 * supports double backward. The output's gradFn is `<ClassName>Backward`.
 *
 * @example
 * class Exp extends autograd.Function {
 *   static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
 *     const y = x.exp();
 *     ctx.saveForBackward(y);
 *     return y;
 *   }
 *   static override backward(ctx: FunctionCtx, grad: Tensor): Tensor {
 *     const [y] = ctx.savedTensors;
 *     return grad.mul(y);
 *   }
 * }
 * const y = Exp.apply(x); // typed from Exp.forward: (x: Tensor) => Tensor
 */
export class Function {
  /** Computes the outputs from the arguments; override it. */
  static forward(_ctx: FunctionCtx, ..._args: never[]): FunctionOutputs {
    throw new NotImplementedError(
      "You must implement the forward function for custom autograd.Function.",
    );
  }

  /** Computes one gradient per argument of forward from one per output; override it. */
  static backward(_ctx: FunctionCtx, ..._grads: never[]): FunctionGradients {
    throw new NotImplementedError(
      "You must implement either the backward or vjp method for your custom autograd.Function " +
        "to use it with backward mode AD.",
    );
  }

  /**
   * Runs `forward` on the arguments and records one backward node for the call
   * (Function.apply). Its arguments and result are typed from the subclass's `forward`.
   */
  static apply<C extends FunctionClass>(this: C, ...args: ForwardArgs<C>): ForwardResult<C> {
    return applyFunction(this, args as readonly unknown[]) as ForwardResult<C>;
  }
}

/** THPFunction_apply: unpack the inputs, run forward without grad, wrap the outputs. */
function applyFunction(cls: FunctionClass, args: readonly unknown[]): FunctionOutputs {
  const n = args.length;
  const needsInputGrad = new Array<boolean>(n);
  let executable = false;
  for (let i = 0; i < n; i++) {
    const a = args[i];
    needsInputGrad[i] = a instanceof Tensor && a.requiresGrad;
    if (needsInputGrad[i]) executable = true;
  }
  executable &&= isGradEnabled();
  const ctx = new FunctionCtx(needsInputGrad);
  // The edges are taken before forward: an input modified in place gets this node as history.
  const next = new Array<Node | null>(n);
  const inputs = new Array<InputMeta | null>(n);
  for (let i = 0; i < n; i++) {
    const a = args[i];
    next[i] = executable && a instanceof Tensor ? gradientEdge(a) : null;
    inputs[i] = a instanceof Tensor ? { shape: a.shape, dtype: a.dtype } : null;
  }
  const forward = cls.forward as (ctx: FunctionCtx, ...args: readonly unknown[]) => unknown;
  const raw = noGrad(() => forward.call(cls, ctx, ...args));
  const single = raw instanceof Tensor;
  const outputs: unknown[] = single ? [raw] : Array.isArray(raw) ? [...(raw as unknown[])] : [raw];
  const state = ctxState(ctx);
  const inputSet = new Set(args.filter((a): a is Tensor => a instanceof Tensor));

  for (const t of state.dirty) {
    if (!outputs.includes(t)) {
      throw new AutogradError(
        "Some elements marked as dirty during the forward method were not returned as output. " +
          "The inputs that are modified inplace must all be outputs of the Function.",
      );
    }
    t.bumpVersion(); // as _mark_dirty does
  }

  const differentiable = outputs.map(
    (o) =>
      executable &&
      o instanceof Tensor &&
      isFloatingPoint(o.dtype) &&
      !state.nonDifferentiable.has(o),
  );
  const numDifferentiable = differentiable.filter(Boolean).length;
  const direct = numDifferentiable === 1 ? differentiable.indexOf(true) : -1;
  const node = executable
    ? new CustomFunctionNode(
        `${cls.name}Backward`,
        next,
        inputs,
        outputs.map((o) => (o instanceof Tensor ? { shape: o.shape, dtype: o.dtype } : null)),
        direct,
        ctx,
        cls.backward as UserBackward,
      )
    : null;

  // _wrap_outputs' set_history, output by output.
  const producers = new Map<Tensor, { node: Node; nr: number }>();
  for (let k = 0; k < outputs.length; k++) {
    const o = outputs[k];
    if (!(o instanceof Tensor)) continue;
    const isInput = inputSet.has(o);
    const isDirty = state.dirty.has(o);
    let out = o;
    if (!differentiable[k]) {
      if (!o.requiresGrad) {
        if (isInput && !isDirty) out = o.detach(); // a view of the input, not the input itself
      } else if (isInput) {
        out = o.detach();
      } else {
        o.gradFn = null;
        if (o.requiresGrad) o.requiresGrad_(false);
      }
    } else {
      const gradFn = direct === k ? node! : new FunctionOutputNode(node!, k);
      if (isDirty) {
        if (o.isLeaf && o.requiresGrad) {
          throw new AutogradError(
            "a leaf Variable that requires grad has been used in an in-place operation.",
          );
        }
        if (o.base !== null) {
          throw new NotImplementedError(
            `${cls.name}: a Function that modifies a view in place (ctx.markDirty) is not ` +
              "supported yet; clone the input first",
          );
        }
      } else if (isInput) {
        out = o.detach();
      }
      out.gradFn = gradFn;
      producers.set(out, { node: gradFn, nr: k });
    }
    outputs[k] = out;
  }

  // Saved after wrapping, as _save_variables: versions include the in-place writes of forward.
  state.saved =
    node === null || state.toSave === null
      ? []
      : state.toSave.map((t): SavedTensor => {
          const made = producers.get(t);
          return saveTensor(t, made?.node ?? null, made?.nr ?? 0);
        });
  state.toSave = null;
  return single ? (outputs[0] as Tensor) : (outputs as Tensor[]);
}
