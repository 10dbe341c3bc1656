import type { BinaryOp } from "../backend/backend.js";
import { getBackend } from "../backend/registry.js";
import { DTypeError } from "../errors.js";
import { checkNumber } from "../validation/arguments.js";
import { isFloatingPoint, scalarTypeName, type DType } from "../tensor/dtype.js";
import { broadcastShapes } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import {
  broadcastView,
  defineMethods,
  emptyTensor,
  outputTensor,
  promoteOperands,
  record,
  reduceToShape,
  resultTypeOf,
  type TensorLike,
} from "./support.js";
import { traced } from "./trace.js";
import { checkTensor } from "../validation/tensors.js";

declare module "../tensor/tensor.js" {
  interface Tensor {
    /** this + alpha * other, broadcasting. @example x.add(1), x.add(y, { alpha: 2 }) */
    add(other: TensorLike, options?: { alpha?: number }): Tensor;
    /** this - alpha * other, broadcasting. @example x.sub(y, { alpha: 2 }) */
    sub(other: TensorLike, options?: { alpha?: number }): Tensor;
    /** Elementwise product, broadcasting. @example x.mul(2) */
    mul(other: TensorLike): Tensor;
    /** True division (integers give float32), broadcasting. @example x.div(2) */
    div(other: TensorLike): Tensor;
    /** Elementwise power. @example x.pow(2) */
    pow(exponent: TensorLike): Tensor;
    /** Elementwise maximum (NaN propagates). @example a.maximum(b) */
    maximum(other: TensorLike): Tensor;
    /** Elementwise minimum (NaN propagates). @example a.minimum(b) */
    minimum(other: TensorLike): Tensor;
    /** Python-style remainder: the result has the divisor's sign. @example x.remainder(2) */
    remainder(other: TensorLike): Tensor;
    /** Elementwise atan2(this, other). @example y.atan2(x) */
    atan2(other: TensorLike): Tensor;
  }
}

/** @internal Runs a broadcasting binary kernel into a new tensor of `outDType`. */
export function binaryKernel(
  op: BinaryOp,
  a: Tensor,
  b: Tensor,
  shape: readonly number[],
  outDType: DType,
): Tensor {
  const out = outputTensor(shape, outDType);
  getBackend().binary(op, broadcastView(a, shape), broadcastView(b, shape), out.storage.data);
  return out;
}

function rejectBool(op: string, dtype: DType): void {
  if (dtype === "bool") {
    throw new DTypeError(
      `${op}: Subtraction, the \`-\` operator, with two bool tensors is not supported. Use the \`^\` or \`logical_xor()\` operator instead.`,
    );
  }
}

/**
 * Elementwise sum `a + alpha * b` with broadcasting and PyTorch's type promotion.
 *
 * @example
 * torch.add(torch.ones([2, 3]), torch.tensor([1, 2, 3])); // [[2, 3, 4], [2, 3, 4]]
 */
export function add(a: TensorLike, b: TensorLike, options: { alpha?: number } = {}): Tensor {
  const alpha = options.alpha ?? 1;
  if (alpha !== 1) b = mul(b, checkNumber("add", "alpha", alpha));
  const { a: x, b: y, shape, dtype } = promoteOperands(a, b, undefined, "add");
  const out = binaryKernel(dtype === "bool" ? "logicalOr" : "add", x, y, shape, dtype);
  return traced(
    "binary",
    [x, y],
    record("AddBackward0", out, [x, y], (g) => [
      x.requiresGrad ? reduceToShape(g, x.shape) : null,
      y.requiresGrad ? reduceToShape(g, y.shape) : null,
    ]),
    { op: "add" },
  );
}

/** Elementwise difference `a - alpha * b` with broadcasting. @example torch.sub(x, 1) */
export function sub(a: TensorLike, b: TensorLike, options: { alpha?: number } = {}): Tensor {
  const alpha = options.alpha ?? 1;
  if (alpha !== 1) b = mul(b, checkNumber("sub", "alpha", alpha));
  const { a: x, b: y, shape, dtype } = promoteOperands(a, b, undefined, "sub");
  rejectBool("sub", dtype);
  const out = binaryKernel("sub", x, y, shape, dtype);
  return traced(
    "binary",
    [x, y],
    record("SubBackward0", out, [x, y], (g) => [
      x.requiresGrad ? reduceToShape(g, x.shape) : null,
      y.requiresGrad ? reduceToShape(g.neg(), y.shape) : null,
    ]),
    { op: "sub" },
  );
}

/** Elementwise product with broadcasting. @example torch.mul(x, 2) */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  const { a: x, b: y, shape, dtype } = promoteOperands(a, b, undefined, "mul");
  const out = binaryKernel(dtype === "bool" ? "logicalAnd" : "mul", x, y, shape, dtype);
  // Save each operand only when the other's gradient needs it.
  return traced(
    "binary",
    [x, y],
    record(
      "MulBackward0",
      out,
      [x, y],
      (g, [sx, sy]) => [
        x.requiresGrad ? reduceToShape(g.mul(sy!), x.shape) : null,
        y.requiresGrad ? reduceToShape(g.mul(sx!), y.shape) : null,
      ],
      [
        y.requiresGrad ? x : emptyTensor([], x.dtype),
        x.requiresGrad ? y : emptyTensor([], y.dtype),
      ],
    ),
    { op: "mul" },
  );
}

/** True division with broadcasting; integer inputs give float32. @example torch.div(x, 2) */
export function div(a: TensorLike, b: TensorLike): Tensor {
  let dtype = resultTypeOf(a, b);
  if (!isFloatingPoint(dtype)) dtype = "float32";
  const { a: x, b: y, shape } = promoteOperands(a, b, dtype, "div");
  const out = binaryKernel("div", x, y, shape, dtype);
  return traced(
    "binary",
    [x, y],
    record(
      "DivBackward0",
      out,
      [x, y],
      (g, [sx, sy]) => [
        x.requiresGrad ? reduceToShape(g.div(sy!), x.shape) : null,
        // PyTorch's div_tensor_other_backward: -grad * ((self / other) / other)
        y.requiresGrad ? reduceToShape(g.neg().mul(sx!.div(sy!).div(sy!)), y.shape) : null,
      ],
      [x, y],
    ),
    { op: "div" },
  );
}

/**
 * Elementwise power with broadcasting. PyTorch's gradient conventions: d/dx is 0 where the
 * exponent is 0; d/dexponent is 0 where the base is 0 and the exponent is non-negative.
 *
 * @example
 * torch.pow(x, 2);
 */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  const { a: x, b: y, shape, dtype } = promoteOperands(a, b, undefined, "pow");
  // PyTorch refuses only a negative plain-number exponent; a tensor exponent truncates (2 ** -1 = 0).
  if (dtype === "int32" && typeof b === "number" && b < 0) {
    throw new DTypeError("Integers to negative integer powers are not allowed.");
  }
  const out = binaryKernel("pow", x, y, shape, dtype);
  // PyTorch's node names: Tensor ** number, Tensor ** Tensor, number ** Tensor.
  const name =
    typeof b === "number"
      ? "PowBackward0"
      : typeof a === "number"
        ? "PowBackward2"
        : "PowBackward1";
  return traced(
    "binary",
    [x, y],
    record(
      name,
      out,
      [x, y],
      (g, [sx, sy, so]) => {
        const gx = x.requiresGrad
          ? reduceToShape(where(sy!.eq(0), 0, g.mul(sy!).mul(sx!.pow(sy!.sub(1)))), x.shape)
          : null;
        const gy = y.requiresGrad
          ? reduceToShape(
              g.mul(where(sx!.eq(0).logicalAnd(sy!.ge(0)), 0, so!.mul(sx!.log()))),
              y.shape,
            )
          : null;
        return [gx, gy];
      },
      [x, y, out],
    ),
    { op: "pow" },
  );
}

/**
 * Gradient split of maximum/minimum, PyTorch's formula: each side gets the gradient unless it
 * lost the comparison, and ties share it equally. Where either value is NaN neither side lost,
 * so both get the whole gradient.
 */
function extremumBackward(
  g: Tensor,
  x: Tensor,
  y: Tensor,
  xLoses: Tensor,
  yLoses: Tensor,
  tie: Tensor,
): [Tensor, Tensor] {
  const shared = where(tie, g.div(2), g);
  const gx = where(xLoses, 0, shared);
  const gy = where(yLoses, 0, shared);
  return [reduceToShape(gx, x.shape), reduceToShape(gy, y.shape)];
}

/**
 * Elementwise maximum with broadcasting; NaN propagates.
 *
 * @example
 * torch.maximum(torch.tensor([1, 5]), torch.tensor([3, 2])); // [3, 5]
 */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  const { a: x, b: y, shape, dtype } = promoteOperands(a, b, undefined, "maximum");
  const out = binaryKernel("maximum", x, y, shape, dtype);
  return traced(
    "binary",
    [x, y],
    record(
      "MaximumBackward0",
      out,
      [x, y],
      (g, [sx, sy]) => extremumBackward(g, sx!, sy!, sx!.lt(sy!), sx!.gt(sy!), sx!.eq(sy!)),
      [x, y],
    ),
    { op: "maximum" },
  );
}

/**
 * Elementwise minimum with broadcasting; NaN propagates.
 *
 * @example
 * torch.minimum(torch.tensor([1, 5]), torch.tensor([3, 2])); // [1, 2]
 */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  const { a: x, b: y, shape, dtype } = promoteOperands(a, b, undefined, "minimum");
  const out = binaryKernel("minimum", x, y, shape, dtype);
  return traced(
    "binary",
    [x, y],
    record(
      "MinimumBackward0",
      out,
      [x, y],
      (g, [sx, sy]) => extremumBackward(g, sx!, sy!, sx!.gt(sy!), sx!.lt(sy!), sx!.eq(sy!)),
      [x, y],
    ),
    { op: "minimum" },
  );
}

/**
 * Python-style remainder (sign of the divisor). Gradient: 1 for a, -floor(a / b) for b.
 *
 * @example
 * torch.remainder(torch.tensor([-3, 3]), 2); // [1, 1]
 */
export function remainder(a: TensorLike, b: TensorLike): Tensor {
  const { a: x, b: y, shape, dtype } = promoteOperands(a, b, undefined, "remainder");
  rejectBool("remainder", dtype);
  const out = binaryKernel("remainder", x, y, shape, dtype);
  return record(
    "RemainderBackward0",
    out,
    [x, y],
    (g, [sx, sy]) => [
      x.requiresGrad ? reduceToShape(g, x.shape) : null,
      y.requiresGrad ? reduceToShape(g.neg().mul(sx!.div(sy!).floor()), y.shape) : null,
    ],
    [x, y],
  );
}

/**
 * Elementwise atan2(a, b) (float result).
 *
 * @example
 * torch.atan2(torch.tensor([1.0]), torch.tensor([-1.0])); // [2.3562]
 */
export function atan2(a: TensorLike, b: TensorLike): Tensor {
  let dtype = resultTypeOf(a, b);
  if (!isFloatingPoint(dtype)) dtype = "float32";
  const { a: x, b: y, shape } = promoteOperands(a, b, dtype, "atan2");
  const out = binaryKernel("atan2", x, y, shape, dtype);
  return record(
    "Atan2Backward0",
    out,
    [x, y],
    (g, [sx, sy]) => {
      const denom = sx!.mul(sx!).add(sy!.mul(sy!));
      return [
        x.requiresGrad ? reduceToShape(g.mul(sy!).div(denom), x.shape) : null,
        y.requiresGrad ? reduceToShape(g.neg().mul(sx!).div(denom), y.shape) : null,
      ];
    },
    [x, y],
  );
}

/**
 * `cond ? a : b` elementwise with broadcasting; `cond` must be bool.
 *
 * @example
 * torch.where(x.gt(0), x, 0); // relu
 */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  checkTensor("where", "cond", cond);
  if (cond.dtype !== "bool") {
    throw new DTypeError(
      `where expected condition to be a boolean tensor, but got a tensor with dtype ${scalarTypeName(cond.dtype)}`,
    );
  }
  const { a: x, b: y, dtype } = promoteOperands(a, b, undefined, "where");
  const outShape = broadcastShapes(cond.shape, x.shape, y.shape);
  const out = outputTensor(outShape, dtype);
  getBackend().where(
    broadcastView(cond, outShape),
    broadcastView(x, outShape),
    broadcastView(y, outShape),
    out.storage.data,
  );
  return traced(
    "where",
    [cond, x, y],
    record(
      "WhereBackward0",
      out,
      [x, y],
      (g, [c]) => [
        x.requiresGrad ? reduceToShape(where(c!, g, 0), x.shape) : null,
        y.requiresGrad ? reduceToShape(where(c!, 0, g), y.shape) : null,
      ],
      [cond],
    ),
    {},
  );
}

defineMethods({
  add(this: Tensor, other: TensorLike, options?: { alpha?: number }) {
    return add(this, other, options);
  },
  sub(this: Tensor, other: TensorLike, options?: { alpha?: number }) {
    return sub(this, other, options);
  },
  mul(this: Tensor, other: TensorLike) {
    return mul(this, other);
  },
  div(this: Tensor, other: TensorLike) {
    return div(this, other);
  },
  pow(this: Tensor, exponent: TensorLike) {
    return pow(this, exponent);
  },
  maximum(this: Tensor, other: TensorLike) {
    return maximum(this, other);
  },
  minimum(this: Tensor, other: TensorLike) {
    return minimum(this, other);
  },
  remainder(this: Tensor, other: TensorLike) {
    return remainder(this, other);
  },
  atan2(this: Tensor, other: TensorLike) {
    return atan2(this, other);
  },
});
