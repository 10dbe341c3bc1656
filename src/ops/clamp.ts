import { ValueError } from "../errors.js";
import { Tensor } from "../tensor/tensor.js";
import { maximum, minimum, where } from "./binary.js";
import { defineMethods, record, reduceToShape } from "./support.js";
import { noGrad } from "../autograd/grad-mode.js";
import { checkTensor } from "../validation/tensors.js";

/** A clamp bound: a number, a tensor, or null/undefined for none. */
export type ClampBound = number | Tensor | null | undefined;

/** clamp's keyword form, PyTorch's `x.clamp(min=0, max=1)`. */
export interface ClampOptions {
  min?: ClampBound;
  max?: ClampBound;
}

/**
 * Limits every element to [min, max] (either bound may be omitted). The gradient passes where
 * min <= x <= max, PyTorch's clamp_backward; NaN stays NaN.
 *
 * @example
 * torch.clamp(x, 0, 1); x.clamp(null, 6); x.clamp({ min: 0 });
 */
export function clamp(x: Tensor, min?: ClampBound | ClampOptions, max?: ClampBound): Tensor {
  checkTensor("clamp", "input", x);
  const keywords = typeof min === "object" && min !== null && !(min instanceof Tensor);
  const lo = (keywords ? min.min : min) ?? null;
  const hi = (keywords ? min.max : max) ?? null;
  if (lo === null && hi === null)
    throw new ValueError("torch.clamp: At least one of 'min' or 'max' must not be None");
  // PyTorch's node names: ClampBackward1 for number bounds, ClampBackward0 for tensor ones.
  const tensorBound = lo instanceof Tensor || hi instanceof Tensor;
  return clampRecorded(x, lo, hi, tensorBound ? "ClampBackward0" : "ClampBackward1");
}

function clampRecorded(
  x: Tensor,
  lo: number | Tensor | null,
  hi: number | Tensor | null,
  name: string,
): Tensor {
  const out = noGrad(() => {
    let r = x;
    if (lo !== null) r = maximum(r, lo);
    if (hi !== null) r = minimum(r, hi);
    // PyTorch applies min then max: where min > max, the result is max.
    return r === x ? x.clone() : r.dtype === x.dtype ? r : r.to(x.dtype);
  });
  const bounds: Tensor[] = [];
  return record(
    name,
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

/** `clamp(x, { min })` (torch.clamp_min). @example torch.clampMin(x, 0) */
export function clampMin(x: Tensor, min: number | Tensor): Tensor {
  checkTensor("clampMin", "input", x);
  return clampRecorded(
    x,
    min,
    null,
    min instanceof Tensor ? "ClampMinBackward1" : "ClampMinBackward0",
  );
}

/** `clamp(x, { max })` (torch.clamp_max). @example torch.clampMax(x, 1) */
export function clampMax(x: Tensor, max: number | Tensor): Tensor {
  checkTensor("clampMax", "input", x);
  return clampRecorded(
    x,
    null,
    max,
    max instanceof Tensor ? "ClampMaxBackward1" : "ClampMaxBackward0",
  );
}

declare module "../tensor/tensor.js" {
  interface Tensor {
    /** Limits every element to [min, max] (torch.clamp). @example x.clamp(-1, 1) */
    clamp(min?: ClampBound | ClampOptions, max?: ClampBound): Tensor;
    /** Alias of clamp (torch.clip). @example x.clip(-1, 1) */
    clip(min?: ClampBound | ClampOptions, max?: ClampBound): Tensor;
    /** Limits every element to at least `min` (torch.clamp_min). @example x.clampMin(0) */
    clampMin(min: number | Tensor): Tensor;
    /** Limits every element to at most `max` (torch.clamp_max). @example x.clampMax(1) */
    clampMax(max: number | Tensor): Tensor;
  }
}

/** Alias of clamp. @example torch.clip(torch.randn([3]), -1, 1); */
export const clip = clamp;

defineMethods({
  clamp(this: Tensor, min?: ClampBound | ClampOptions, max?: ClampBound) {
    return clamp(this, min, max);
  },
  clip(this: Tensor, min?: ClampBound | ClampOptions, max?: ClampBound) {
    return clamp(this, min, max);
  },
  clampMin(this: Tensor, min: number | Tensor) {
    return clampMin(this, min);
  },
  clampMax(this: Tensor, max: number | Tensor) {
    return clampMax(this, max);
  },
});
