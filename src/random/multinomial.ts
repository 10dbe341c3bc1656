/**
 * torch.multinomial with PyTorch 1.13's CPU algorithm, so that the same seed gives the same
 * indices:
 * - without replacement: the exponential-race trick of Distributions.cpp, `q = empty_like(p)
 *   .exponential_(1)` (one double draw per element in p's memory order, rounded to p's dtype),
 *   then argmax (one sample) or topk (several) of `p / q` per row;
 * - with replacement: MultinomialKernel.cpp's loop, a cumulative distribution per row summed and
 *   normalised in p's dtype, then per sample one 53-bit uniform double and a binary search for
 *   the first bucket not below it.
 * Like exponential_ here, this is the kernel of a PyTorch built without MKL (Debian's); PyTorch
 * builds with MKL (the pip wheels for x86) draw exponential_ through MKL's own generator, so
 * their indices without replacement differ for the same seed (with replacement they agree).
 */
import { DTypeError, ShapeError, ValueError } from "../errors.js";
import { selectFirst } from "../ops/rows.js";
import { defineMethods } from "../ops/support.js";
import { scalarTypeName } from "../tensor/dtype.js";
import { Tensor } from "../tensor/tensor.js";
import { exponentialDouble, uniformFloat64 } from "./distributions.js";
import { defaultGenerator, type Generator } from "./generator.js";
import type { GeneratorOptions } from "./inplace.js";
import { checkTensor } from "../validation/tensors.js";

/** Options of multinomial: sampling with replacement, and the generator to draw from. */
export interface MultinomialOptions extends GeneratorOptions {
  replacement?: boolean;
}

function check(p: Tensor, numSamples: number, replacement: boolean): void {
  if (p.ndim < 1 || p.ndim > 2) throw new ShapeError("prob_dist must be 1 or 2 dim");
  if (p.dtype !== "float32" && p.dtype !== "float64") {
    throw new DTypeError(
      `multinomial only supports floating-point dtypes for input, got: ${scalarTypeName(p.dtype)}`,
    );
  }
  if (!Number.isInteger(numSamples) || numSamples <= 0) {
    throw new ValueError("cannot sample n_sample <= 0 samples");
  }
  if (!replacement && numSamples > p.shape[p.ndim - 1]!) {
    throw new ValueError("cannot sample n_sample > prob_dist.size(-1) samples without replacement");
  }
}

/**
 * The logical (row-major) positions of a rows x cols tensor in the order exponential_ on
 * empty_like(p) fills them: empty_like keeps a dense transposed layout, so the draws run down
 * its columns; anything else is filled row-major.
 */
function fillOrder(p: Tensor, rows: number, cols: number): Int32Array {
  const order = new Int32Array(rows * cols);
  const columnMajor =
    p.ndim === 2 && rows > 1 && cols > 1 && p.strides[0] === 1 && p.strides[1] === rows;
  let i = 0;
  if (columnMajor) {
    for (let c = 0; c < cols; c++) for (let r = 0; r < rows; r++) order[i++] = r * cols + c;
  } else {
    for (let k = 0; k < order.length; k++) order[k] = k;
  }
  return order;
}

/** Without replacement (or one sample without it): the exponential race. */
function race(
  probs: ArrayLike<number>,
  rows: number,
  cols: number,
  k: number,
  order: Int32Array,
  round: (v: number) => number,
  g: Generator,
  out: Int32Array,
): void {
  for (let i = 0; i < probs.length; i++) {
    if (!(probs[i]! >= 0 && probs[i]! < Infinity)) {
      throw new ValueError("probability tensor contains either `inf`, `nan` or element < 0");
    }
  }
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < cols; c++) s += probs[r * cols + c]!;
    if (s === 0)
      throw new ValueError("invalid multinomial distribution (sum of probabilities <= 0)");
  }
  const q = new Float64Array(rows * cols);
  for (let i = 0; i < order.length; i++) q[order[i]!] = round(exponentialDouble(g, 1));
  for (let i = 0; i < q.length; i++) q[i] = round(probs[i]! / q[i]!);
  for (let r = 0; r < rows; r++) {
    const row = q.subarray(r * cols, (r + 1) * cols);
    // argmax (one sample) or topk: largest first, NaN as the largest, ties in index order.
    const first = selectFirst(cols, k, (a, b) => {
      const x = row[a]!;
      const y = row[b]!;
      if (Number.isNaN(x) || Number.isNaN(y))
        return Number(Number.isNaN(y)) - Number(Number.isNaN(x));
      return x === y ? 0 : x > y ? -1 : 1;
    });
    for (let j = 0; j < k; j++) out[r * k + j] = first[j]!;
  }
}

/** With replacement: MultinomialKernel.cpp's cumulative distribution and binary search. */
function withReplacement(
  probs: ArrayLike<number>,
  rows: number,
  cols: number,
  k: number,
  round: (v: number) => number,
  g: Generator,
  out: Int32Array,
): void {
  const cum = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let c = 0; c < cols; c++) {
      const v = probs[r * cols + c]!;
      if (!(v >= 0)) {
        throw new ValueError(
          "invalid multinomial distribution (encountering probability entry < 0)",
        );
      }
      if (!Number.isFinite(v)) {
        throw new ValueError(
          "invalid multinomial distribution (encountering probability entry = infinity or NaN)",
        );
      }
      sum = round(sum + v);
      cum[c] = sum;
    }
    if (!(sum > 0)) {
      throw new ValueError("invalid multinomial distribution (sum of probabilities <= 0)");
    }
    for (let c = 0; c < cols; c++) cum[c] = round(cum[c]! / sum);
    cum[cols - 1] = 1;
    for (let j = 0; j < k; j++) {
      const u = uniformFloat64(g, 0, 1);
      let left = 0;
      let right = cols;
      while (right - left > 0) {
        const mid = left + ((right - left) >> 1);
        if (cum[mid]! < u) left = mid + 1;
        else right = mid;
      }
      out[r * k + j] = left;
    }
  }
}

/**
 * `numSamples` category indices per row of `input` (1-D or 2-D, non-negative weights, need not
 * sum to 1), drawn as PyTorch's CPU kernel draws them: the same seed gives the same indices.
 * Without replacement each row's indices are distinct. The result is int32 (PyTorch: int64).
 *
 * @example
 * torch.manualSeed(0);
 * torch.multinomial(probs, 1); // next token ids, [batch, 1]
 * torch.multinomial(weights, 10, true);
 */
export function multinomial(
  input: Tensor,
  numSamples: number,
  replacementOrOptions: boolean | MultinomialOptions = false,
  options: GeneratorOptions = {},
): Tensor {
  checkTensor("multinomial", "input", input);
  const opts: MultinomialOptions =
    typeof replacementOrOptions === "boolean"
      ? { ...options, replacement: replacementOrOptions }
      : replacementOrOptions;
  const replacement = opts.replacement ?? false;
  check(input, numSamples, replacement);
  const g = opts.generator ?? defaultGenerator;
  const cols = input.shape[input.ndim - 1]!;
  const rows = input.ndim === 2 ? input.shape[0]! : 1;
  const outShape = input.ndim === 2 ? [rows, numSamples] : [numSamples];
  const out = new Int32Array(rows * numSamples);
  if (out.length === 0) return Tensor.fromData(out, outShape);
  const probs = input.toArray();
  const round = input.dtype === "float32" ? Math.fround : (v: number) => v;
  if (!replacement) {
    race(probs, rows, cols, numSamples, fillOrder(input, rows, cols), round, g, out);
  } else {
    withReplacement(probs, rows, cols, numSamples, round, g, out);
  }
  return Tensor.fromData(out, outShape);
}

declare module "../tensor/tensor.js" {
  interface Tensor {
    /** `torch.multinomial(this, numSamples, ...)`. @example probs.multinomial(1) */
    multinomial(
      numSamples: number,
      replacementOrOptions?: boolean | MultinomialOptions,
      options?: GeneratorOptions,
    ): Tensor;
  }
}

defineMethods({
  multinomial(
    this: Tensor,
    numSamples: number,
    replacementOrOptions?: boolean | MultinomialOptions,
    options?: GeneratorOptions,
  ) {
    return multinomial(this, numSamples, replacementOrOptions, options);
  },
});
