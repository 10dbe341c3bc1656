/**
 * What every op file uses: operand conversion and promotion, output allocation, graph recording
 * and method attachment. Ops validate here, at the public boundary, once; kernels trust them.
 */
import { isGradEnabled } from "../autograd/grad-mode.js";
import { FunctionNode, type BackwardFn } from "../autograd/node.js";
import { gradientEdge } from "../autograd/engine.js";
import type { StridedView } from "../backend/backend.js";
import {
  allocate,
  resultType,
  scalarDType,
  type DType,
  type PromotionKind,
} from "../tensor/dtype.js";
import { broadcastShapes, broadcastStrides, type Shape } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";

/** A tensor, or a plain number/boolean standing for a 0-d tensor (a Python scalar). */
export type TensorLike = Tensor | number | boolean;

/** A new contiguous tensor of `dtype` and `shape`, zero-filled, for a kernel to write into. */
export function emptyTensor(shape: Shape, dtype: DType): Tensor {
  let n = 1;
  for (const s of shape) n *= s;
  return Tensor.fromData(allocate(dtype, n), shape);
}

/** A 0-d tensor holding a JavaScript value. */
export function scalarTensor(value: number | boolean, dtype: DType = scalarDType(value)): Tensor {
  const t = emptyTensor([], dtype);
  t.storage.data[0] =
    typeof value === "boolean" ? Number(value) : dtype === "bool" ? Number(value !== 0) : value;
  return t;
}

function promotionKind(x: TensorLike): { dtype: DType; kind: PromotionKind } {
  if (x instanceof Tensor) return { dtype: x.dtype, kind: x.ndim === 0 ? "zeroDim" : "tensor" };
  return { dtype: scalarDType(x), kind: "scalar" };
}

/** PyTorch's result dtype of an op over these operands (torch.result_type). */
export function resultTypeOf(...operands: TensorLike[]): DType {
  return resultType(operands.map(promotionKind));
}

/** `x` as a tensor of `dtype`: scalars are wrapped, tensors cast (differentiably) if needed. */
export function asTensor(x: TensorLike, dtype: DType): Tensor {
  if (x instanceof Tensor) return x.dtype === dtype ? x : x.to(dtype);
  return scalarTensor(x, dtype);
}

/** The kernel's view of `t` broadcast to `shape`. */
export function broadcastView(t: Tensor, shape: Shape): StridedView {
  if (t.shape.length === shape.length && t.shape.every((s, i) => s === shape[i])) return t.view_();
  return {
    data: t.storage.data,
    shape,
    strides: broadcastStrides(t.shape, t.strides, shape),
    offset: t.offset,
  };
}

/** Operands of a broadcasting op: promoted to one dtype, with the broadcast output shape. */
export function promoteOperands(
  a: TensorLike,
  b: TensorLike,
  computeDType: DType = resultTypeOf(a, b),
): { a: Tensor; b: Tensor; shape: number[]; dtype: DType } {
  const ta = asTensor(a, computeDType);
  const tb = asTensor(b, computeDType);
  return { a: ta, b: tb, shape: broadcastShapes(ta.shape, tb.shape), dtype: computeDType };
}

/**
 * Records `out` as the result of op `name` over `inputs` when grad mode is on and some input
 * requires grad. `backward` gets the output gradient and `saved` (checked against in-place
 * modification) and returns one gradient per input.
 */
export function record(
  name: string,
  out: Tensor,
  inputs: readonly Tensor[],
  backward: BackwardFn,
  saved: readonly Tensor[] = [],
): Tensor {
  if (!isGradEnabled()) return out;
  let any = false;
  for (const t of inputs) if (t.requiresGrad) any = true;
  if (!any) return out;
  out.gradFn = new FunctionNode(
    name,
    inputs.map(gradientEdge),
    inputs.map((t) => ({ shape: t.shape, dtype: t.dtype })),
    backward,
    saved,
  );
  return out;
}

/** Sums `grad` down to `shape`, undoing broadcasting (PyTorch's sum_to). */
export function reduceToShape(grad: Tensor, shape: Shape): Tensor {
  if (grad.shape.length === shape.length && grad.shape.every((s, i) => s === shape[i])) return grad;
  const lead = grad.ndim - shape.length;
  const dims: number[] = [];
  for (let d = 0; d < grad.ndim; d++) {
    if (d < lead || (shape[d - lead] === 1 && grad.shape[d] !== 1)) dims.push(d);
  }
  const summed = dims.length ? grad.sum({ dim: dims, keepdim: true }) : grad;
  return summed.reshape(shape);
}

/**
 * Adds methods to Tensor.prototype; the matching `declare module` block in the op's file gives
 * them their types.
 */
export function defineMethods(
  methods: Record<string, (this: Tensor, ...args: never[]) => unknown>,
): void {
  for (const [name, fn] of Object.entries(methods)) {
    Object.defineProperty(Tensor.prototype, name, {
      value: fn,
      writable: true,
      configurable: true,
    });
  }
}
