import { isKeywords } from "../validation/arguments.js";
import { getBackend } from "../backend/registry.js";
import { NotImplementedError, ShapeError, ValueError } from "../errors.js";
import { Tensor } from "../tensor/tensor.js";
import { defineMethods, emptyTensor, record } from "./support.js";
import { checkTensor } from "../validation/tensors.js";

/** F.pad's keywords: PyTorch's `mode` (only "constant" so far) and fill `value`. */
export interface PadOptions {
  mode?: "constant";
  value?: number;
}

/**
 * Pads the last dims with a constant (torch.nn.functional.pad, mode "constant"). `padding` lists
 * (before, after) pairs starting from the LAST dim, as PyTorch: `[left, right, top, bottom]`.
 * Negative padding crops.
 *
 * @example
 * torch.pad(x, [1, 1, 2, 0]); // last dim +1 on each side, second-to-last +2 before
 * F.pad(x, [1, 1], { mode: "constant", value: -1 });
 */
export function pad(x: Tensor, padding: readonly number[], valueArg?: number | PadOptions): Tensor {
  checkTensor("pad", "input", x);
  const opts = isKeywords(valueArg) ? valueArg : { value: valueArg };
  if (opts.mode !== undefined && opts.mode !== "constant") {
    throw new NotImplementedError(
      `pad(): mode "${String(opts.mode)}" is not supported yet; only "constant" is`,
    );
  }
  const value = opts.value ?? 0;
  if (padding.length % 2 !== 0) throw new ValueError("Padding length must be divisible by 2");
  if (padding.length / 2 > x.ndim) {
    throw new ValueError(
      `Padding length should be less than or equal to two times the input dimension but got padding length ${padding.length} and input of dimension ${x.ndim}`,
    );
  }
  const shape = [...x.shape];
  const before = new Array<number>(x.ndim).fill(0);
  for (let i = 0; i < padding.length / 2; i++) {
    const d = x.ndim - 1 - i;
    before[d] = padding[2 * i]!;
    shape[d] = x.shape[d]! + padding[2 * i]! + padding[2 * i + 1]!;
    if (shape[d]! < 0) {
      throw new ShapeError(
        `The input size ${x.shape[d]}, plus negative padding ${padding[2 * i]} and ${padding[2 * i + 1]} resulted in a negative output size, which is invalid. Check dimension ${d} of your input.`,
      );
    }
  }
  const out = emptyTensor(shape, x.dtype);
  if (value !== 0) getBackend().fill(out.view_(), value);
  // The overlap of input and output, in each one's coordinates.
  const region = regionOf(x.shape, before, shape);
  if (region !== null) {
    const src = x.view_();
    const dst = out.view_();
    getBackend().copy(
      {
        data: src.data,
        shape: region.size,
        strides: src.strides,
        offset: src.offset + dot(region.srcStart, src.strides),
      },
      {
        data: dst.data,
        shape: region.size,
        strides: dst.strides,
        offset: dot(region.dstStart, dst.strides),
      },
    );
  }
  const negated = padding.map((p) => -p);
  return record("ConstantPadNdBackward0", out, [x], (g) => [pad(g, negated)]);
}

function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function regionOf(
  inShape: readonly number[],
  before: readonly number[],
  outShape: readonly number[],
) {
  const size: number[] = [];
  const srcStart: number[] = [];
  const dstStart: number[] = [];
  for (let d = 0; d < inShape.length; d++) {
    const s = Math.max(0, -before[d]!);
    const t = Math.max(0, before[d]!);
    const n = Math.min(inShape[d]! - s, outShape[d]! - t);
    if (n <= 0) return null;
    size.push(n);
    srcStart.push(s);
    dstStart.push(t);
  }
  return { size, srcStart, dstStart };
}

declare module "../tensor/tensor.js" {
  interface Tensor {
    /**
     * Pads the last dims (torch.nn.functional.pad); `padding` lists (left, right) pairs from the last dim.
     *
     * @example
     * x.pad([1, 1], 0)
     */
    pad(padding: readonly number[], value?: number | PadOptions): Tensor;
  }
}

defineMethods({
  pad(this: Tensor, padding: readonly number[], value?: number | PadOptions) {
    return pad(this, padding, value);
  },
});
