/**
 * In-place ops (`add_`, `mul_`, `zero_`, ...). Each computes its out-of-place twin, writes the
 * result into the tensor's storage and bumps the storage's version, so that autograd refuses to
 * use a value it saved before the write. With grad recording on, the tensor takes the new
 * result's place in the graph (PyTorch "rebases" its history).
 */
import { isGradEnabled, noGrad } from "../autograd/grad-mode.js";
import { getBackend } from "../backend/registry.js";
import { AutogradError, NotImplementedError, ShapeError } from "../errors.js";
import { formatShape, shapesEqual } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { broadcastView, defineMethods, type TensorLike } from "./support.js";
import { add, div, mul, pow, sub } from "./binary.js";
import { clamp } from "./clamp.js";

function checkLeaf(target: Tensor): void {
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
  if (tracked) {
    target.gradFn = result.gradFn;
    // The result object is dropped; its node now describes `target`.
  }
  return target;
}

/** Sets every element to `value` (torch.Tensor.fill_). */
export function fill_(target: Tensor, value: number | boolean): Tensor {
  checkLeaf(target);
  if (isGradEnabled() && target.requiresGrad && target.base !== null) {
    throw new NotImplementedError(
      "fill_: in-place ops on a view with autograd recording are not supported yet",
    );
  }
  getBackend().fill(target.view_(), Number(value));
  target.bumpVersion();
  if (isGradEnabled() && target.requiresGrad) target.gradFn = null;
  return target;
}

declare module "../tensor/tensor.js" {
  interface Tensor {
    add_(other: TensorLike, options?: { alpha?: number }): this;
    sub_(other: TensorLike, options?: { alpha?: number }): this;
    mul_(other: TensorLike): this;
    div_(other: TensorLike): this;
    pow_(exponent: TensorLike): this;
    clamp_(min?: number | Tensor | null, max?: number | Tensor | null): this;
    /** Copies `src` (broadcast, dtype-converted) into this tensor. */
    copy_(src: TensorLike): this;
    fill_(value: number | boolean): this;
    zero_(): this;
    neg_(): this;
    exp_(): this;
    sqrt_(): this;
    relu_(): this;
    sigmoid_(): this;
    tanh_(): this;
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
  add_: method("add_", (t, o: TensorLike, opts?: { alpha?: number }) => add(t, o, opts)),
  sub_: method("sub_", (t, o: TensorLike, opts?: { alpha?: number }) => sub(t, o, opts)),
  mul_: method("mul_", (t, o: TensorLike) => mul(t, o)),
  div_: method("div_", (t, o: TensorLike) => div(t, o)),
  pow_: method("pow_", (t, o: TensorLike) => pow(t, o)),
  clamp_: method("clamp_", (t, lo?: number | Tensor | null, hi?: number | Tensor | null) =>
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
