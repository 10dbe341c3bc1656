/**
 * torch.nn.functional.pad with every mode of PyTorch 1.13. "constant" is the tensor op
 * (ops/pad.ts); "reflect", "replicate" and "circular" gather each padded dim through an index
 * (indexSelect), so their gradient sums the copies back, as PyTorch's *_pad backward kernels.
 */
import { NotImplementedError, ShapeError, ValueError } from "../../errors.js";
import { indexSelect } from "../../ops/indexing.js";
import { pad as constantPad } from "../../ops/pad.js";
import { formatShape } from "../../tensor/shape.js";
import { Tensor } from "../../tensor/tensor.js";
import { checkTensor } from "../../validation/tensors.js";

/** The padding modes of F.pad. */
export type PadMode = "constant" | "reflect" | "replicate" | "circular";

/** The source index of output position `p` (input coordinates, may be outside [0, n)). */
function sourceIndex(mode: Exclude<PadMode, "constant">, p: number, n: number): number {
  if (mode === "replicate") return Math.min(Math.max(p, 0), n - 1);
  if (mode === "circular") return ((p % n) + n) % n;
  const r = p < 0 ? -p : p;
  return r >= n ? 2 * (n - 1) - r : r;
}

function checkPadding(
  mode: Exclude<PadMode, "constant">,
  x: Tensor,
  padding: readonly number[],
): void {
  const k = padding.length / 2;
  if (mode === "circular") {
    if (padding.length !== 2 * (x.ndim - 2)) {
      throw new ValueError(
        `Invalid padding size, expected ${2 * (x.ndim - 2)} but got ${padding.length}`,
      );
    }
  }
  for (let i = 0; i < k; i++) {
    const d = x.ndim - 1 - i;
    const n = x.shape[d]!;
    const [a, b] = [padding[2 * i]!, padding[2 * i + 1]!];
    if (mode === "reflect" && (a >= n || b >= n)) {
      throw new ValueError(
        `Argument #${4 + 2 * i}: Padding size should be less than the corresponding input dimension, but got: padding (${a}, ${b}) at dimension ${d} of input ${formatShape(x.shape)}`,
      );
    }
    if (mode === "circular" && (a > n || b > n)) {
      throw new ValueError("Padding value causes wrapping around more than once.");
    }
    if (mode === "replicate" && n === 0) {
      throw new ShapeError(
        `Expected input's non-spatial dimensions to be non-zero, but got ${formatShape(x.shape)}`,
      );
    }
  }
}

/**
 * Pads the last dims of `x` (torch.nn.functional.pad). `padding` lists (before, after) pairs
 * from the LAST dim backwards, as PyTorch: `[left, right, top, bottom, ...]`. `mode`:
 * "constant" (with `value`, default 0; also given as a plain number in place of the mode),
 * "reflect" (mirror without the edge), "replicate" (repeat the edge) or "circular" (wrap).
 * The non-constant modes pad 1, 2 or 3 dims of a 2-4, 3-4 or 4-5 dim input, as PyTorch.
 *
 * @example
 * F.pad(x, [1, 1], "reflect"); // [N, C, W] -> [N, C, W + 2]
 * F.pad(img, [2, 2, 2, 2], "replicate");
 * F.pad(x, [0, 3], "constant", -1);
 */
export function pad(
  x: Tensor,
  padding: readonly number[],
  modeArg: PadMode | number | { mode?: PadMode; value?: number } = "constant",
  valueArg?: number,
): Tensor {
  checkTensor("pad", "input", x);
  // PyTorch's keywords as an options object: F.pad(x, p, { mode: "reflect" }), { value: 1 }.
  const keywords = modeArg !== null && typeof modeArg === "object";
  const mode = keywords ? (modeArg.mode ?? "constant") : modeArg;
  const value = keywords ? modeArg.value : valueArg;
  if (typeof mode === "number") return constantPad(x, padding, mode);
  if (mode === "constant") return constantPad(x, padding, value ?? 0);
  if (mode !== "reflect" && mode !== "replicate" && mode !== "circular") {
    throw new NotImplementedError(`Unrecognised padding mode ${String(mode)}`);
  }
  if (value !== undefined && value !== 0) {
    throw new ValueError(`Padding mode "${mode}" doesn't take in value argument`);
  }
  if (padding.length % 2 !== 0) throw new ValueError("Padding length must be divisible by 2");
  const k = padding.length / 2;
  if (!((k === 1 || k === 2 || k === 3) && (x.ndim === k + 1 || x.ndim === k + 2))) {
    throw new NotImplementedError(
      "Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now",
    );
  }
  checkPadding(mode, x, padding);
  let out = x;
  for (let i = 0; i < k; i++) {
    const d = x.ndim - 1 - i;
    const n = x.shape[d]!;
    const [before, after] = [padding[2 * i]!, padding[2 * i + 1]!];
    const length = n + before + after;
    const index = new Int32Array(Math.max(length, 0));
    for (let p = 0; p < length; p++) index[p] = sourceIndex(mode, p - before, n);
    out = indexSelect(out, d, Tensor.fromData(index, [index.length]));
  }
  return out;
}
