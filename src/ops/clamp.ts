import { ValueError } from "../errors.js";
import { Tensor } from "../tensor/tensor.js";
import { maximum, minimum, where } from "./binary.js";
import { defineMethods, record, reduceToShape } from "./support.js";
import { noGrad } from "../autograd/grad-mode.js";

/**
 * Limits every element to [min, max] (either bound may be omitted). The gradient passes where
 * min <= x <= max, PyTorch's clamp_backward; NaN stays NaN.
 *
 * @example
 * torch.clamp(x, 0, 1); x.clamp(null, 6);
 */
export function clamp(
  x: Tensor,
  min?: number | Tensor | null,
  max?: number | Tensor | null,
): Tensor {
  const lo = min ?? null;
  const hi = max ?? null;
  if (lo === null && hi === null)
    throw new ValueError("torch.clamp: At least one of 'min' or 'max' must not be None");
  const out = noGrad(() => {
    let r = x;
    if (lo !== null) r = maximum(r, lo);
    if (hi !== null) r = minimum(r, hi);
    // PyTorch applies min then max: where min > max, the result is max.
    return r === x ? x.clone() : r.dtype === x.dtype ? r : r.to(x.dtype);
  });
  const bounds: Tensor[] = [];
  return record(
    "ClampBackward1",
    out,
    [x, ...bounds],
    (g, [sx]) => {
      let pass = sx!.eq(sx!); // true except at NaN
      if (lo !== null) pass = pass.logicalAnd(sx!.ge(lo));
      if (hi !== null) pass = pass.logicalAnd(sx!.le(hi));
      return [reduceToShape(where(pass, g, 0), x.shape)];
    },
    [x],
  );
}

declare module "../tensor/tensor.js" {
  interface Tensor {
    clamp(min?: number | Tensor | null, max?: number | Tensor | null): Tensor;
    clip(min?: number | Tensor | null, max?: number | Tensor | null): Tensor;
  }
}

/** Alias of clamp. */
export const clip = clamp;

defineMethods({
  clamp(this: Tensor, min?: number | Tensor | null, max?: number | Tensor | null) {
    return clamp(this, min, max);
  },
  clip(this: Tensor, min?: number | Tensor | null, max?: number | Tensor | null) {
    return clamp(this, min, max);
  },
});
