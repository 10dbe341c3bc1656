import { checkTensor } from "../validation/tensors.js";
/**
 * Tensor methods that make new tensors like this one (PyTorch's `new_*` family and type_as):
 * the dtype defaults to this tensor's, not to the global default.
 */
import {
  full,
  parseSizeArgs,
  tensor,
  zeros,
  type FactoryOptions,
  type SizeArgs,
} from "../tensor/create.js";
import type { NestedArray } from "../tensor/tensor.js";
import type { TypedArray } from "../tensor/dtype.js";
import type { Shape } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { defineMethods } from "./support.js";

declare module "../tensor/tensor.js" {
  interface Tensor {
    /** This tensor converted to `other`'s dtype (torch.Tensor.type_as). @example x.typeAs(y) */
    typeAs(other: Tensor): Tensor;
    /** Zeros of this dtype (unless given). @example x.newZeros([2, 3]) */
    newZeros(...args: SizeArgs): Tensor;
    /** Ones of this dtype (unless given). @example x.newOnes(4) */
    newOnes(...args: SizeArgs): Tensor;
    /**
     * An uninitialised tensor of this dtype; torchlet's is zero-filled.
     *
     * @example
     * x.newEmpty([2, 3]) // same dtype and device as x
     */
    newEmpty(...args: SizeArgs): Tensor;
    /** `value` everywhere, this dtype (unless given). @example x.newFull([2], 0.5) */
    newFull(size: Shape | number, value: number | boolean, options?: FactoryOptions): Tensor;
    /** A tensor from data, this dtype (unless given). @example x.newTensor([1, 2]) */
    newTensor(
      data: NestedArray<number | boolean> | TypedArray | Tensor,
      options?: FactoryOptions,
    ): Tensor;
  }
}

function like(self: Tensor, op: string, args: readonly unknown[]) {
  const { shape, options } = parseSizeArgs(op, args);
  return { shape, options: { ...options, dtype: options.dtype ?? self.dtype } };
}

defineMethods({
  typeAs(this: Tensor, other: Tensor) {
    checkTensor("typeAs", "other", other);
    return this.to(other.dtype);
  },
  newZeros(this: Tensor, ...args: SizeArgs) {
    const { shape, options } = like(this, "newZeros", args);
    return zeros(shape, options);
  },
  newEmpty(this: Tensor, ...args: SizeArgs) {
    const { shape, options } = like(this, "newEmpty", args);
    return zeros(shape, options);
  },
  newOnes(this: Tensor, ...args: SizeArgs) {
    const { shape, options } = like(this, "newOnes", args);
    return full(shape, 1, options);
  },
  newFull(
    this: Tensor,
    size: Shape | number,
    value: number | boolean,
    options: FactoryOptions = {},
  ) {
    return full(size, value, { ...options, dtype: options.dtype ?? this.dtype });
  },
  newTensor(
    this: Tensor,
    data: NestedArray<number | boolean> | TypedArray | Tensor,
    options: FactoryOptions = {},
  ) {
    return tensor(data, { ...options, dtype: options.dtype ?? this.dtype });
  },
});
