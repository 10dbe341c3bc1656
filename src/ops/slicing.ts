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
 * - an int32 tensor picks entries along its dim (negative allowed); its dims replace that dim;
 * - a bool tensor of k dims masks the next k dims, which become one dim of the true positions.
 * Only one tensor item per index is supported: PyTorch's broadcasting of several index tensors
 * together (`x[i, j]`) throws NotImplementedError. Numbers are applied as selects before the
 * tensor item, as PyTorch does, so `x[0, :, idx]` keeps the tensor's dims in place.
 */
import { isGradEnabled, noGrad } from "../autograd/grad-mode.js";
import { AutogradError, IndexError, NotImplementedError, ValueError } from "../errors.js";
import { formatShape } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { indexSelect, maskedFill } from "./indexing.js";
import { inPlace } from "./inplace.js";
import { defineMethods, type TensorLike } from "./support.js";
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
  if (parsed.filter((p) => p.kind === "tensor").length > 1) {
    throw new NotImplementedError(
      "index: only one tensor index per subscript is supported (PyTorch broadcasts several together)",
    );
  }
  const fill = (): Parsed[] =>
    Array.from({ length: x.ndim - used }, () => ({
      kind: "slice" as const,
      start: 0,
      end: Infinity,
      step: 1,
    }));
  return parsed.flatMap((p) => (p.kind === "ellipsis" ? fill() : [p]));
}

/** Dim `d` of `t` indexed by the int32 tensor `idx` (negative entries count from the end). */
function takeAlong(t: Tensor, d: number, idx: Tensor): Tensor {
  const size = t.shape[d]!;
  const flat = Int32Array.from(idx.toArray(), (v) => {
    if (v < -size || v >= size) {
      throw new IndexError(`index ${v} is out of bounds for dimension ${d} with size ${size}`);
    }
    return v < 0 ? v + size : v;
  });
  const picked = indexSelect(t, d, Tensor.fromData(flat, [flat.length]));
  return picked.reshape([...t.shape.slice(0, d), ...idx.shape, ...t.shape.slice(d + 1)]);
}

/** Dims `d..d+k-1` of `t` masked by the k-dim bool tensor `mask`, as one dim of true positions. */
function maskAlong(t: Tensor, d: number, mask: Tensor): Tensor {
  if (mask.ndim === 0) {
    throw new NotImplementedError("index: a 0-dim bool index is not supported");
  }
  mask.shape.forEach((s, j) => {
    if (t.shape[d + j] !== s) {
      throw new IndexError(
        `The shape of the mask ${formatShape(mask.shape)} at index ${j} does not match the shape of the indexed tensor ${formatShape(t.shape)} at index ${d + j}`,
      );
    }
  });
  const positions: number[] = [];
  mask.toArray().forEach((v, i) => {
    if (v !== 0) positions.push(i);
  });
  const merged = t.reshape([...t.shape.slice(0, d), mask.numel(), ...t.shape.slice(d + mask.ndim)]);
  return indexSelect(merged, d, Tensor.fromData(Int32Array.from(positions), [positions.length]));
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
          t = maskAlong(t, d, p.t);
          d++;
        } else if (p.t.dtype === "int32") {
          t = takeAlong(t, d, p.t);
          d += p.t.ndim;
        } else {
          throw new IndexError("tensors used as indices must be long, byte or bool tensors");
        }
        break;
      case "ellipsis":
        break; // expanded away
    }
  }
  return t;
}

/**
 * `x[spec] = value` in place (torch.Tensor.index_put_ / Python's subscript assignment) for basic
 * indexes (written through the view) and a single bool mask (masked_fill_). `value` broadcasts.
 *
 * @example
 * x.indexPut_([0, ":"], 1);      // x[0, :] = 1
 * x.indexPut_([x.lt(0)], 0);     // x[x < 0] = 0
 */
export function indexPut_(x: Tensor, spec: readonly IndexItem[], value: TensorLike): Tensor {
  checkTensor("indexPut_", "input", x);
  const parsed = parseItems(spec);
  const tensors = parsed.filter((p) => p.kind === "tensor");
  if (tensors.length === 0) {
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
  const mask = parsed.length === 1 && tensors[0]!.kind === "tensor" ? tensors[0]!.t : null;
  if (mask !== null && mask.dtype === "bool" && !(value instanceof Tensor && value.ndim > 0)) {
    // x[mask] = v over x's leading dims: the mask gets trailing size-1 dims to broadcast.
    if (mask.ndim > x.ndim)
      throw new IndexError(`too many indices for tensor of dimension ${x.ndim}`);
    const m = mask.reshape([...mask.shape, ...new Array<number>(x.ndim - mask.ndim).fill(1)]);
    maskAlong(x, 0, mask); // validates the mask's shape with PyTorch's message
    return inPlace("index_put_", x, () => maskedFill(x, m, value));
  }
  throw new NotImplementedError(
    "indexPut_: only basic indexes and a single bool mask with a scalar value are supported",
  );
}

declare module "../tensor/tensor.js" {
  interface Tensor {
    /** Python's `x[...]`: see torch's `index`. @example x.index("1:3", 0) */
    index(...items: IndexItem[]): Tensor;
    /** Python's `x[...] = value`, in place. @example x.indexPut_([0], 1) */
    indexPut_(spec: readonly IndexItem[], value: TensorLike): this;
  }
}

defineMethods({
  index(this: Tensor, ...items: IndexItem[]) {
    return index(this, ...items);
  },
  indexPut_(this: Tensor, spec: readonly IndexItem[], value: TensorLike) {
    return indexPut_(this, spec, value);
  },
});
