/**
 * Python's subscript `x[1:3, :, ::2]` for TypeScript: `x.index(1, "1:3", ":", "::2")` or
 * `x.index("1, 1:3, :, ::2")`. Basic indexing (numbers, slices, "...", null) gives views that
 * share x's storage, as in PyTorch; a tensor index copies.
 *
 * What is supported, per item:
 * - a number selects (negative counts from the end) and removes the dim;
 * - "a:b:c" slices (a, b may be negative or left out; c must be > 0, as in PyTorch);
 * - "..." stands for as many ":" as needed (one per index);
 * - null (or "None" in a string spec) inserts a size-1 dim;
 * - an int32 tensor picks entries along its dim (negative allowed);
 * - a bool tensor of k dims masks the next k dims (it stands for its k nonzero() index tensors).
 * Several tensor items broadcast together (`x[rows, cols]`), with PyTorch's rules: the broadcast
 * index shape replaces the indexed dims, in their place when they are adjacent, at the front
 * when slices separate them (see advanced-index.ts). Numbers are applied as selects before the
 * tensor items, as PyTorch does (numpy would count them as index tensors), so `x[0, :, idx]`
 * keeps the tensor's dims in place.
 */
import { pyTypeName } from "../validation/arguments.js";
import { isGradEnabled, noGrad } from "../autograd/grad-mode.js";
import {
  ArgumentTypeError,
  AutogradError,
  IndexError,
  NotImplementedError,
  ValueError,
} from "../errors.js";
import { Tensor } from "../tensor/tensor.js";
import { advancedTake, maskToIndices, valueFor, type AdvancedIndex } from "./advanced-index.js";
import { scatter, scatterAdd } from "./indexing.js";
import { inPlace } from "./inplace.js";
import { asTensor, defineMethods, type TensorLike } from "./support.js";
import { select, slice, unsqueeze } from "./view.js";
import { checkTensor } from "../validation/tensors.js";

/** One item of an index: a number, a "a:b:c" / "..." / "None" string, null (new axis) or a tensor. */
export type IndexItem = number | string | null | Tensor;

type Parsed =
  | { kind: "int"; i: number }
  | { kind: "slice"; start: number; end: number; step: number }
  | { kind: "ellipsis" }
  | { kind: "newaxis" }
  | { kind: "tensor"; t: Tensor };

function parseInt_(text: string, whole: string): number {
  const n = Number(text);
  if (text === "" || !Number.isInteger(n)) {
    throw new ValueError(`index: cannot parse ${JSON.stringify(whole)} as an index`);
  }
  return n;
}

function parseString(s: string): Parsed {
  const text = s.trim();
  if (text === "...") return { kind: "ellipsis" };
  if (text === "None" || text === "null") return { kind: "newaxis" };
  if (!text.includes(":")) return { kind: "int", i: parseInt_(text, s) };
  const parts = text.split(":").map((p) => p.trim());
  if (parts.length > 3) throw new ValueError(`index: cannot parse ${JSON.stringify(s)} as a slice`);
  const [a = "", b = "", c = ""] = parts;
  const step = c === "" ? 1 : parseInt_(c, s);
  if (step === 0) throw new ValueError("slice step cannot be zero");
  if (step < 0) throw new ValueError("step must be greater than zero");
  return {
    kind: "slice",
    start: a === "" ? 0 : parseInt_(a, s),
    end: b === "" ? Infinity : parseInt_(b, s),
    step,
  };
}

function parseItems(items: readonly IndexItem[]): Parsed[] {
  // A single string with commas is a whole Python subscript: "1:3, :, ::2".
  const flat =
    items.length === 1 && typeof items[0] === "string" && items[0].includes(",")
      ? items[0].split(",")
      : items;
  return flat.map((item): Parsed => {
    if (item === null) return { kind: "newaxis" };
    if (item instanceof Tensor) return { kind: "tensor", t: item };
    if (typeof item === "string") return parseString(item);
    if (!Number.isInteger(item)) throw new ValueError(`index: ${item} is not an integer index`);
    return { kind: "int", i: item };
  });
}

function dimsUsed(p: Parsed): number {
  if (p.kind === "int" || p.kind === "slice") return 1;
  if (p.kind === "tensor") return p.t.dtype === "bool" ? p.t.ndim : 1;
  return 0;
}

/** The items with "..." replaced by full slices, validated against x's rank. */
function expand(x: Tensor, items: readonly IndexItem[]): Parsed[] {
  const parsed = parseItems(items);
  const used = parsed.reduce((n, p) => n + dimsUsed(p), 0);
  if (used > x.ndim) throw new IndexError(`too many indices for tensor of dimension ${x.ndim}`);
  const ellipses = parsed.filter((p) => p.kind === "ellipsis").length;
  if (ellipses > 1) throw new IndexError("an index can only have a single ellipsis ('...')");
  const fill = (): Parsed[] =>
    Array.from({ length: x.ndim - used }, () => ({
      kind: "slice" as const,
      start: 0,
      end: Infinity,
      step: 1,
    }));
  return parsed.flatMap((p) => (p.kind === "ellipsis" ? fill() : [p]));
}

/**
 * `x[...]` with Python's subscript semantics (see this file's header for the items).
 *
 * @example
 * x.index(0);                  // x[0]
 * x.index("1:3", ":", "::2");  // x[1:3, :, ::2]
 * x.index("..., None");        // x[..., None]
 * x.index(x.gt(0));            // x[x > 0]
 */
export function index(x: Tensor, ...items: IndexItem[]): Tensor {
  checkTensor("index", "input", x);
  let t = x;
  let d = 0;
  const advanced: AdvancedIndex[] = [];
  for (const p of expand(x, items)) {
    switch (p.kind) {
      case "int": {
        // Python's x[i] words this differently from x.select(d, i).
        const size = t.shape[d]!;
        if (p.i < -size || p.i >= size) {
          throw new IndexError(
            `index ${p.i} is out of bounds for dimension ${d} with size ${size}`,
          );
        }
        t = select(t, d, p.i);
        break;
      }
      case "slice":
        t = slice(t, d, p.start, p.end, p.step);
        d++;
        break;
      case "newaxis":
        t = unsqueeze(t, d);
        d++;
        break;
      case "tensor":
        if (p.t.dtype === "bool") {
          if (p.t.ndim === 0) {
            throw new NotImplementedError("index: a 0-dim bool index is not supported");
          }
          advanced.push(...maskToIndices(t, d, p.t));
          d += p.t.ndim;
        } else if (p.t.dtype === "int32") {
          advanced.push({ dim: d, index: p.t });
          d++;
        } else {
          throw new IndexError("tensors used as indices must be long, byte or bool tensors");
        }
        break;
      case "ellipsis":
        break; // expanded away
    }
  }
  return advanced.length === 0 ? t : advancedTake(t, advanced);
}

/**
 * `x` with `value` written (or, with `accumulate`, added) at the elements `x[...spec]` selects,
 * out of place (torch.index_put): `value` broadcasts to the indexing result; with `accumulate`
 * repeated positions sum, without it one of the writes wins (PyTorch leaves which undefined).
 * Differentiable in x (zero gradient where written over) and in value (the gradient gathered).
 *
 * @example
 * torch.indexPut(torch.zeros(3), [torch.tensor([0, 0, 2])], torch.tensor(1), true); // [2, 0, 1]
 */
export function indexPut(
  x: Tensor,
  spec: readonly IndexItem[],
  value: TensorLike,
  accumulate = false,
): Tensor {
  checkTensor("indexPut", "input", x);
  if (!Array.isArray(spec)) {
    throw new ArgumentTypeError(
      `indexPut(): argument 'indices' must be a list of indices, not ${pyTypeName(spec)}`,
    );
  }
  // The flat positions the index selects, found by indexing x's own element numbers.
  const n = x.numel();
  const numbers = Tensor.fromData(
    Int32Array.from({ length: n }, (_, i) => i),
    [n],
  );
  const positions = index(numbers.reshape(x.shape), ...spec);
  const v = valueFor(asTensor(value, x.dtype).to(x.dtype), positions.shape);
  const src = v.expand(positions.shape).reshape(-1);
  const at = positions.reshape(-1);
  const flat = x.reshape(-1);
  const out = accumulate ? scatterAdd(flat, 0, at, src) : scatter(flat, 0, at, src);
  return out.reshape(x.shape);
}

/**
 * `x[spec] = value` in place (torch.Tensor.index_put_ / Python's subscript assignment). Basic
 * indexes write through a view of x; tensor indexes (several broadcast together, bool masks,
 * mixed with slices) write at the selected elements, summing repeated ones with `accumulate`.
 * `value` broadcasts to the indexing result and is cast to x's dtype, as Python's `x[i] = v`.
 *
 * @example
 * x.indexPut_([0, ":"], 1);                                    // x[0, :] = 1
 * x.indexPut_([x.lt(0)], 0);                                   // x[x < 0] = 0
 * x.indexPut_([rows, cols], torch.tensor([1, 2]), true);       // x.index_put_((rows, cols), v, True)
 */
export function indexPut_(
  x: Tensor,
  spec: readonly IndexItem[],
  value: TensorLike,
  accumulate = false,
): Tensor {
  checkTensor("indexPut_", "input", x);
  if (!Array.isArray(spec)) {
    throw new ArgumentTypeError(
      `indexPut_(): argument 'indices' must be a list of indices, not ${pyTypeName(spec)}`,
    );
  }
  const parsed = parseItems(spec);
  if (!accumulate && !parsed.some((p) => p.kind === "tensor")) {
    // Basic indexing: copy_ writes through a view of x. Recording such a write (PyTorch's
    // CopySlices) is not implemented, so a tensor that requires grad is refused.
    if (isGradEnabled() && x.requiresGrad) {
      if (x.isLeaf) {
        throw new AutogradError(
          "a leaf Variable that requires grad is being used in an in-place operation.",
        );
      }
      throw new NotImplementedError(
        "indexPut_: writing into part of a tensor that requires grad is not supported yet; " +
          "run it inside noGrad() or build the result out of place",
      );
    }
    noGrad(() => index(x, ...spec)).copy_(value);
    return x;
  }
  return inPlace("index_put_", x, () => indexPut(x, spec, value, accumulate));
}

declare module "../tensor/tensor.js" {
  interface Tensor {
    /** Python's `x[...]`: see torch's `index`. @example x.index("1:3", 0) */
    index(...items: IndexItem[]): Tensor;
    /** torch.index_put (out of place). @example x.indexPut([rows, cols], v, true) */
    indexPut(spec: readonly IndexItem[], value: TensorLike, accumulate?: boolean): Tensor;
    /** Python's `x[...] = value` / index_put_, in place. @example x.indexPut_([0], 1) */
    indexPut_(spec: readonly IndexItem[], value: TensorLike, accumulate?: boolean): this;
  }
}

defineMethods({
  index(this: Tensor, ...items: IndexItem[]) {
    return index(this, ...items);
  },
  indexPut(this: Tensor, spec: readonly IndexItem[], value: TensorLike, accumulate?: boolean) {
    return indexPut(this, spec, value, accumulate);
  },
  indexPut_(this: Tensor, spec: readonly IndexItem[], value: TensorLike, accumulate?: boolean) {
    return indexPut_(this, spec, value, accumulate);
  },
});
