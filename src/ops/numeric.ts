/**
 * Elementwise numeric helpers built from existing ops: square, nanToNum, isclose/allclose.
 */
import { DTypeError } from "../errors.js";
import { isFloatingPoint, scalarTypeName } from "../tensor/dtype.js";
import { Tensor } from "../tensor/tensor.js";
import { inPlace } from "./inplace.js";
import { pow, where } from "./binary.js";
import { savedSelf } from "./rows.js";
import { defineMethods, scalarTensor } from "./support.js";
import { checkTensor } from "../validation/tensors.js";

/**
 * x² elementwise (torch.square: `pow(x, 2)`, so integers stay integers).
 *
 * @example
 * torch.square(torch.tensor([-2, 3])); // tensor([4, 9])
 */
export function square(x: Tensor): Tensor {
  checkTensor("square", "input", x);
  return pow(x, 2);
}

/** What nanToNum puts in place of NaN, +inf and -inf. */
export interface NanToNumOptions {
  /** Default 0. */
  nan?: number;
  /** Default the dtype's largest finite value. */
  posinf?: number;
  /** Default the dtype's lowest finite value. */
  neginf?: number;
}

const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * `x` with NaN, +inf and -inf replaced by finite numbers (torch.nan_to_num); integer and bool
 * tensors come back unchanged. The gradient is 1 where x is finite, 0 elsewhere.
 *
 * @example
 * torch.nanToNum(torch.tensor([NaN, Infinity, -1])); // [0, 3.4028e+38, -1]
 * x.nanToNum({ nan: 0, posinf: 1e4 });
 */
export function nanToNum(x: Tensor, options: NanToNumOptions = {}): Tensor {
  checkTensor("nanToNum", "input", x);
  if (!isFloatingPoint(x.dtype)) return x.clone();
  const big = x.dtype === "float32" ? FLOAT32_MAX : Number.MAX_VALUE;
  const { nan = 0, posinf = big, neginf = -big } = options;
  const inf = x.isinf();
  // Replacement values as 0-d tensors of x's dtype: a plain 3.4e38 would read as an integer.
  const as = (v: number) => scalarTensor(v, x.dtype);
  return where(
    x.isnan(),
    as(nan),
    where(inf.logicalAnd(x.gt(0)), as(posinf), where(inf, as(neginf), x)),
  );
}

/** Tolerances of isclose/allclose: `|a - b| <= atol + rtol * |b|`. */
export interface CloseOptions {
  /** Default 1e-5. */
  rtol?: number;
  /** Default 1e-8. */
  atol?: number;
  /** Whether NaN equals NaN (default false). */
  equalNan?: boolean;
}

/**
 * Elementwise `|a - b| <= atol + rtol * |b|` or `a == b` (so equal infinities are close), as a
 * bool tensor (torch.isclose); `equalNan` makes NaN close to NaN.
 *
 * @example
 * torch.isclose(a, b, { rtol: 1e-4 });
 */
export function isclose(a: Tensor, b: Tensor, options: CloseOptions = {}): Tensor {
  checkTensor("isclose", "input", a);
  checkTensor("isclose", "other", b);
  const { rtol = 1e-5, atol = 1e-8, equalNan = false } = options;
  if (a.dtype !== b.dtype) {
    throw new DTypeError(`${scalarTypeName(a.dtype)} did not match ${scalarTypeName(b.dtype)}`);
  }
  let close = a.eq(b);
  if (equalNan) close = close.logicalOr(a.isnan().logicalAnd(b.isnan()));
  if (rtol === 0 && atol === 0) return close;
  const fa = isFloatingPoint(a.dtype) ? a : a.to("float32");
  const fb = isFloatingPoint(b.dtype) ? b : b.to("float32");
  const error = fa.sub(fb).abs();
  const allowed = fb.mul(rtol).abs().add(atol);
  return close.logicalOr(error.isfinite().logicalAnd(error.le(allowed)));
}

/**
 * Whether every element of `a` is close to `b` (torch.allclose), as a JavaScript boolean.
 *
 * @example
 * if (!torch.allclose(out, expected, { atol: 1e-6 })) throw new Error("mismatch");
 */
export function allclose(a: Tensor, b: Tensor, options: CloseOptions = {}): boolean {
  checkTensor("allclose", "input", a);
  checkTensor("allclose", "other", b);
  return isclose(a, b, options).logicalNot().sum().item() === 0;
}

declare module "../tensor/tensor.js" {
  interface Tensor {
    /** `torch.square(this)`. @example x.square() */
    square(): Tensor;
    /** In-place square. @example x.square_() */
    square_(): this;
    /** `torch.nanToNum(this, options)`. @example x.nanToNum({ nan: 0, posinf: 1e6 }) */
    nanToNum(options?: NanToNumOptions): Tensor;
    /** In-place nanToNum. @example x.nanToNum_() */
    nanToNum_(options?: NanToNumOptions): this;
    /** `torch.isclose(this, other, options)`. @example a.isclose(b, { atol: 1e-6 }) */
    isclose(other: Tensor, options?: CloseOptions): Tensor;
    /**
     * `torch.allclose(this, other, options)`.
     *
     * @example
     * a.allclose(b, { rtol: 1e-5, atol: 1e-8 })
     */
    allclose(other: Tensor, options?: CloseOptions): boolean;
  }
}

defineMethods({
  square(this: Tensor) {
    return square(this);
  },
  square_(this: Tensor) {
    return inPlace("square_", this, () => square(savedSelf(this)));
  },
  nanToNum(this: Tensor, options?: NanToNumOptions) {
    return nanToNum(this, options);
  },
  nanToNum_(this: Tensor, options?: NanToNumOptions) {
    return inPlace("nanToNum_", this, () => nanToNum(this, options));
  },
  isclose(this: Tensor, other: Tensor, options?: CloseOptions) {
    return isclose(this, other, options);
  },
  allclose(this: Tensor, other: Tensor, options?: CloseOptions) {
    return allclose(this, other, options);
  },
});
