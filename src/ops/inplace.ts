import { checkFillValue } from "../validation/arguments.js";
/**
 * In-place ops (`add_`, `mul_`, `zero_`, ...). Each computes its out-of-place twin, writes the
 * result into the tensor's storage and bumps the storage's version, so that autograd refuses to
 * use a value it saved before the write. With grad recording on, the tensor takes the new
 * result's place in the graph (PyTorch "rebases" its history).
 */
import { isGradEnabled, isInferenceModeEnabled, noGrad } from "../autograd/grad-mode.js";
import { getBackend } from "../backend/registry.js";
import { AutogradError, NotImplementedError, ShapeError } from "../errors.js";
import { isFloatingPoint } from "../tensor/dtype.js";
import { formatShape, shapesEqual } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { broadcastView, defineMethods, scalarTensor, type TensorLike } from "./support.js";
import { add, div, mul, pow, sub } from "./binary.js";
import { clamp, type ClampBound, type ClampOptions } from "./clamp.js";
import { isTracing, tracedInPlace } from "./trace.js";
import { checkTensor } from "../validation/tensors.js";

function checkLeaf(target: Tensor): void {
  if (target.storage.inference && !isInferenceModeEnabled()) {
    throw new AutogradError(
      "Inplace update to inference tensor outside InferenceMode is not allowed.You can make a clone to get a normal tensor before doing inplace update.See https://github.com/pytorch/rfcs/pull/17 for more details.",
    );
  }
  if (isGradEnabled() && target.isLeaf && target.requiresGrad) {
    throw new AutogradError(
      "a leaf Variable that requires grad is being used in an in-place operation.",
    );
  }
}

/** @internal Writes `compute()`'s result into `target` (broadcast and cast to its dtype). */
export function inPlace(name: string, target: Tensor, compute: () => Tensor): Tensor {
  checkLeaf(target);
  const result = compute();
  if (!shapesEqual(result.shape, target.shape)) {
    const broadcastOk = result.ndim <= target.ndim && result.numel() <= target.numel();
    if (
      !broadcastOk ||
      result.shape.some((s, i) => s !== 1 && s !== target.shape[target.ndim - result.ndim + i])
    ) {
      throw new ShapeError(
        `${name}: output with shape ${formatShape(target.shape)} doesn't match the broadcast shape ${formatShape(result.shape)}`,
      );
    }
  }
  const tracked = isGradEnabled() && result.requiresGrad;
  if (tracked && target.base !== null) {
    throw new NotImplementedError(
      `${name}: in-place ops on a view with autograd recording are not supported yet; ` +
        "use the out-of-place op, or run the update inside noGrad()",
    );
  }
  getBackend().copy(broadcastView(result, target.shape), target.view_());
  target.bumpVersion();
  tracedInPlace(name, target, result);
  if (tracked) {
    target.gradFn = result.gradFn;
    // The result object is dropped; its node now describes `target`.
  }
  return target;
}

/**
 * The fast path of `add_`/`sub_`/`mul_`/`div_` (every optimizer step runs it once per parameter):
 * when nothing is recorded, the dtypes agree and `target` is contiguous, the kernel writes the
 * result straight into the target's storage instead of computing out of place and copying.
 * Elementwise kernels read element i of each operand before writing element i of the output,
 * so an operand may alias the target when it has the same layout (x.add_(x)), not otherwise.
 * With `alpha` (add_/sub_ only) it is one fused kernel, a + alpha * b rounded once, as PyTorch's
 * add_ (the out-of-place op rounds alpha * b first).
 * Returns null where the general path must run (it also gives the errors).
 */
function binaryInPlace(
  op: "add" | "sub" | "mul" | "div",
  target: Tensor,
  other: TensorLike,
  alpha: number,
): Tensor | null {
  const dtype = target.dtype;
  // An export traces the general path (the op, then the copy).
  if (
    !isFloatingPoint(dtype) ||
    !target.isContiguous() ||
    typeof alpha !== "number" ||
    isTracing() ||
    target.storage.inference
  )
    return null;
  if (isGradEnabled() && (target.requiresGrad || (other instanceof Tensor && other.requiresGrad)))
    return null;
  let b: Tensor;
  if (other instanceof Tensor) {
    if (other.dtype !== dtype || !broadcastsTo(other.shape, target.shape)) return null;
    const sameView = other.offset === target.offset && shapesEqual(other.strides, target.strides);
    if (other.storage === target.storage && !sameView) return null;
    b = other;
  } else if (typeof other === "number") {
    b = scalarTensor(other, dtype);
  } else {
    return null;
  }
  const n = target.numel();
  const data = target.storage.data;
  const out =
    target.offset === 0 && data.length === n
      ? data
      : data.subarray(target.offset, target.offset + n);
  const backend = getBackend();
  const operand = broadcastView(b, target.shape);
  // Every optimizer step lands here: one kernel, no temporary for alpha * b.
  if (alpha !== 1) backend.addScaled(target.view_(), operand, op === "sub" ? -alpha : alpha, out);
  else backend.binary(op, target.view_(), operand, out);
  target.bumpVersion();
  return target;
}

/** Whether `shape` broadcasts to exactly `target` (the in-place rule: target's shape wins). */
function broadcastsTo(shape: readonly number[], target: readonly number[]): boolean {
  const lead = target.length - shape.length;
  if (lead < 0) return false;
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] !== 1 && shape[i] !== target[lead + i]) return false;
  }
  return true;
}

/**
 * Sets every element to `value` (torch.Tensor.fill_).
 *
 * @example
 * torch.fill_(torch.empty([2, 2]), 0.5);
 */
export function fill_(target: Tensor, value: number | boolean): Tensor {
  checkTensor("fill_", "target", target);
  checkFillValue("fill_", "value", value);
  checkLeaf(target);
  if (isGradEnabled() && target.requiresGrad && target.base !== null) {
    throw new NotImplementedError(
      "fill_: in-place ops on a view with autograd recording are not supported yet",
    );
  }
  getBackend().fill(target.view_(), Number(value));
  target.bumpVersion();
  tracedInPlace("fill_", target, null);
  if (isGradEnabled() && target.requiresGrad) target.gradFn = null;
  return target;
}

declare module "../tensor/tensor.js" {
  interface Tensor {
    /** In-place `this + alpha * other` (torch.Tensor.add_). @example w.add_(g, { alpha: -0.1 }) */
    add_(other: TensorLike, options?: { alpha?: number }): this;
    /** In-place `this - alpha * other`. @example w.sub_(g, { alpha: 0.1 }) */
    sub_(other: TensorLike, options?: { alpha?: number }): this;
    /** In-place `this * other`. @example x.mul_(0.9) */
    mul_(other: TensorLike): this;
    /** In-place `this / other`. @example x.div_(2) */
    div_(other: TensorLike): this;
    /** In-place `this ** exponent`. @example x.pow_(2) */
    pow_(exponent: TensorLike): this;
    /** In-place clamp. @example x.clamp_(-1, 1) */
    clamp_(min?: ClampBound | ClampOptions, max?: ClampBound): this;
    /** Copies `src` (broadcast, dtype-converted) into this tensor. @example target.copy_(source) */
    copy_(src: TensorLike): this;
    /**
     * Sets every element to `value` (torch.Tensor.fill_).
     *
     * @example
     * torch.empty([2, 2]).fill_(0.5)
     */
    fill_(value: number | boolean): this;
    /** Sets every element to 0 (torch.Tensor.zero_). @example w.grad!.zero_() */
    zero_(): this;
    /** In-place neg. @example x.neg_() */
    neg_(): this;
    /** In-place exp. @example x.exp_() */
    exp_(): this;
    /** In-place sqrt. @example x.sqrt_() */
    sqrt_(): this;
    /** In-place relu. @example x.relu_() */
    relu_(): this;
    /** In-place sigmoid. @example x.sigmoid_() */
    sigmoid_(): this;
    /** In-place tanh. @example x.tanh_() */
    tanh_(): this;
    /** In-place abs. @example x.abs_() */
    abs_(): this;
  }
}

function method(
  name: string,
  compute: (t: Tensor, ...args: never[]) => Tensor,
): (this: Tensor, ...args: never[]) => Tensor {
  return function (this: Tensor, ...args: never[]) {
    return inPlace(name, this, () => compute(this, ...args));
  };
}

defineMethods({
  add_(this: Tensor, other: TensorLike, options?: { alpha?: number }) {
    return (
      binaryInPlace("add", this, other, options?.alpha ?? 1) ??
      inPlace("add_", this, () => add(this, other, options))
    );
  },
  sub_(this: Tensor, other: TensorLike, options?: { alpha?: number }) {
    return (
      binaryInPlace("sub", this, other, options?.alpha ?? 1) ??
      inPlace("sub_", this, () => sub(this, other, options))
    );
  },
  mul_(this: Tensor, other: TensorLike) {
    return binaryInPlace("mul", this, other, 1) ?? inPlace("mul_", this, () => mul(this, other));
  },
  div_(this: Tensor, other: TensorLike) {
    return binaryInPlace("div", this, other, 1) ?? inPlace("div_", this, () => div(this, other));
  },
  pow_: method("pow_", (t, o: TensorLike) => pow(t, o)),
  clamp_: method("clamp_", (t, lo?: ClampBound | ClampOptions, hi?: ClampBound) =>
    clamp(t, lo, hi),
  ),
  copy_(this: Tensor, src: TensorLike) {
    // copy_ does not depend on the old value: its gradient flows only to src.
    return inPlace("copy_", this, () =>
      src instanceof Tensor
        ? src.requiresGrad && isGradEnabled()
          ? src.mul(1)
          : src
        : noGrad(() => add(src, 0)),
    );
  },
  fill_(this: Tensor, value: number | boolean) {
    return fill_(this, value);
  },
  zero_(this: Tensor) {
    return fill_(this, 0);
  },
  neg_: method("neg_", (t) => t.neg()),
  exp_: method("exp_", (t) => t.exp()),
  sqrt_: method("sqrt_", (t) => t.sqrt()),
  relu_: method("relu_", (t) => t.relu()),
  sigmoid_: method("sigmoid_", (t) => t.sigmoid()),
  tanh_: method("tanh_", (t) => t.tanh()),
  abs_: method("abs_", (t) => t.abs()),
});
