import { AutogradError } from "../errors.js";
import { Tensor } from "../tensor/tensor.js";
import { unpackSaved, type SavedTensor } from "./node.js";

/**
 * What `forward` told the context, kept out of the user's attribute namespace (`ctx.saved = ...`
 * must not clobber it): the engine side reads it through `ctxState`.
 */
export interface CtxState {
  /** What saveForBackward was given, until the outputs are wrapped. */
  toSave: readonly Tensor[] | null;
  /** The saved tensors after forward; null once a backward freed them. */
  saved: readonly SavedTensor[] | null;
  dirty: ReadonlySet<Tensor>;
  nonDifferentiable: ReadonlySet<Tensor>;
  materializeGrads: boolean;
}

const states = new WeakMap<FunctionCtx, CtxState>();

/** @internal The context's bookkeeping (function.ts and function-node.ts read it). */
export function ctxState(ctx: FunctionCtx): CtxState {
  return states.get(ctx)!;
}

/**
 * The context a custom `autograd.Function`'s `forward` and `backward` share
 * (torch.autograd.function.FunctionCtx). Besides its methods it holds any attribute `forward`
 * sets, as in Python (`ctx.constant = 3`); for typed attributes, declare them on the parameter:
 * `ctx: FunctionCtx & { constant: number }`.
 *
 * @example
 * static forward(ctx: FunctionCtx, x: Tensor): Tensor {
 *   ctx.saveForBackward(x);
 *   return x.exp();
 * }
 */
export class FunctionCtx {
  /** Attributes set by `forward` for `backward`, as a Python ctx's `__dict__`. */
  [attribute: string]: unknown;

  /**
   * One entry per argument of `forward`: whether it is a tensor that requires grad
   * (ctx.needs_input_grad). Non-tensor arguments are false.
   */
  readonly needsInputGrad: readonly boolean[];

  /** @internal Made by `Function.apply`. */
  constructor(needsInputGrad: readonly boolean[]) {
    this.needsInputGrad = needsInputGrad;
    states.set(this, {
      toSave: null,
      saved: [],
      dirty: new Set(),
      nonDifferentiable: new Set(),
      materializeGrads: true,
    });
  }

  /**
   * Saves tensors for `backward` (ctx.save_for_backward): inputs, outputs, or intermediates.
   * Call it once, from `forward`; `backward` reads them from `savedTensors`, and gets an error
   * if one was modified in place since.
   */
  saveForBackward(...tensors: Tensor[]): void {
    tensors.forEach((t, i) => {
      if (!(t instanceof Tensor)) {
        throw new AutogradError(
          `save_for_backward can only save variables, but argument ${i} is of type ${pythonTypeName(t)}`,
        );
      }
    });
    ctxState(this).toSave = tensors;
  }

  /**
   * The tensors `forward` saved (ctx.saved_tensors), in order; throws if one was modified in
   * place since, or if a backward without `retainGraph` already freed them.
   */
  get savedTensors(): Tensor[] {
    const state = ctxState(this);
    if (state.toSave !== null) return [...state.toSave]; // still inside forward
    return unpackSaved(state.saved);
  }

  /**
   * Marks inputs that `forward` modified in place (ctx.mark_dirty); each must also be returned
   * as an output, and takes the Function's node as its history.
   */
  markDirty(...tensors: Tensor[]): void {
    ctxState(this).dirty = new Set(tensors);
  }

  /**
   * Marks outputs that have no gradient (ctx.mark_non_differentiable), such as indices: they do
   * not require grad, and `backward` still receives a (zero) gradient for each.
   */
  markNonDifferentiable(...tensors: Tensor[]): void {
    ctxState(this).nonDifferentiable = new Set(tensors);
  }

  /**
   * Whether `backward` gets zero-filled tensors for outputs that received no gradient (the
   * default, true) or null (ctx.set_materialize_grads).
   */
  setMaterializeGrads(value: boolean): void {
    ctxState(this).materializeGrads = value;
  }
}

/** The Python type name PyTorch's messages print for a value a JavaScript caller passed. */
export function pythonTypeName(v: unknown): string {
  if (v === null || v === undefined) return "NoneType";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "string") return "str";
  if (Array.isArray(v)) return "list";
  return typeof v === "object" ? (v.constructor?.name ?? "object") : typeof v;
}
