import { isKeywords } from "../validation/arguments.js";
/**
 * Joining and splitting: cat, stack, split, chunk, unbind. `cat` copies each input into its
 * slab of a new output; the splitting ops return views (narrow/select), so their gradients are
 * the views' own.
 */
import { checkTensor, checkTensorList } from "../validation/tensors.js";
import { getBackend } from "../backend/registry.js";
import { IndexError, ShapeError, ValueError } from "../errors.js";
import { isFloatingPoint, promoteTypes } from "../tensor/dtype.js";
import { contiguousStrides, formatShape, normalizeDim, shapesEqual } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { defineMethods, emptyTensor, record } from "./support.js";
import { traced } from "./trace.js";
import { narrow, select, unsqueeze } from "./view.js";

/** PyTorch still accepts 1-D empty tensors (`torch.tensor([])`) in cat whatever the others' shape. */
function isLegacyEmpty(t: Tensor): boolean {
  return t.ndim === 1 && t.shape[0] === 0;
}

/**
 * Concatenates tensors along `dim`; inputs are promoted to a common dtype, as torch.cat.
 *
 * @example
 * torch.cat([torch.zeros(2, 3), torch.ones(1, 3)]); // shape [3, 3]
 * torch.cat([a, b], { dim: 1 });
 */
export function cat(tensors: readonly Tensor[], dimArg: number | { dim?: number } = 0): Tensor {
  checkTensorList("cat", "tensors", tensors);
  checkTensorList("cat", "tensors", tensors);
  const dim = (isKeywords(dimArg) ? dimArg.dim : dimArg) ?? 0;
  if (tensors.length === 0)
    throw new ValueError("torch.cat(): expected a non-empty list of Tensors");
  tensors.forEach((t, i) => {
    if (t.ndim === 0) {
      throw new ShapeError(`zero-dimensional tensor (at position ${i}) cannot be concatenated`);
    }
  });
  let dtype = tensors[0]!.dtype;
  for (const t of tensors) dtype = promoteTypes(dtype, t.dtype);
  const ref = tensors.find((t) => !isLegacyEmpty(t)) ?? tensors[0]!;
  const d = normalizeDim(dim, ref.ndim);
  let total = 0;
  tensors.forEach((t, i) => {
    if (isLegacyEmpty(t) && t !== ref) return;
    if (t.ndim !== ref.ndim) {
      throw new ShapeError(
        `Tensors must have same number of dimensions: got ${ref.ndim} and ${t.ndim}`,
      );
    }
    for (let k = 0; k < ref.ndim; k++) {
      if (k !== d && t.shape[k] !== ref.shape[k]) {
        throw new ShapeError(
          `Sizes of tensors must match except in dimension ${d}. Expected size ${ref.shape[k]} but got size ${t.shape[k]} for tensor number ${i} in the list.`,
        );
      }
    }
    total += t.shape[d]!;
  });
  const shape = [...ref.shape];
  shape[d] = total;
  const out = emptyTensor(shape, dtype);
  const strides = contiguousStrides(shape);
  const starts: number[] = [];
  let start = 0;
  for (const t of tensors) {
    starts.push(start);
    if (isLegacyEmpty(t) && t !== ref) continue;
    const size = t.shape[d]!;
    if (size > 0) {
      getBackend().copy(t.view_(), {
        data: out.storage.data,
        shape: t.shape,
        strides,
        offset: start * strides[d]!,
      });
    }
    start += size;
  }
  return traced(
    "cat",
    tensors,
    record("CatBackward0", out, tensors, (g) =>
      tensors.map((t, i) => {
        if (!t.requiresGrad) return null;
        if (isLegacyEmpty(t) && t !== ref) return emptyTensor([0], t.dtype);
        const part = narrow(g, d, starts[i]!, t.shape[d]!);
        return isFloatingPoint(t.dtype) && part.dtype !== t.dtype ? part.to(t.dtype) : part;
      }),
    ),
    { dim: d },
  );
}

/**
 * Joins equal-shaped tensors along a new dim `dim`, as torch.stack.
 *
 * @example
 * torch.stack([a, b], 1); // a, b: [2, 3] -> [2, 2, 3]
 * torch.stack([a, b], { dim: 1 });
 */
export function stack(tensors: readonly Tensor[], dimArg: number | { dim?: number } = 0): Tensor {
  checkTensorList("stack", "tensors", tensors);
  checkTensorList("stack", "tensors", tensors);
  const dim = (isKeywords(dimArg) ? dimArg.dim : dimArg) ?? 0;
  if (tensors.length === 0) throw new ValueError("stack expects a non-empty TensorList");
  const first = tensors[0]!;
  tensors.forEach((t, i) => {
    if (!shapesEqual(t.shape, first.shape)) {
      throw new ShapeError(
        `stack expects each tensor to be equal size, but got ${formatShape(first.shape)} at entry 0 and ${formatShape(t.shape)} at entry ${i}`,
      );
    }
  });
  const d = normalizeDim(dim, first.ndim + 1);
  return cat(
    tensors.map((t) => unsqueeze(t, d)),
    d,
  );
}

/**
 * Splits `x` along `dim` into views: pieces of `size` (the last may be smaller), or of the
 * listed sizes, as torch.split.
 *
 * @example
 * torch.split(torch.arange(5), 2); // sizes 2, 2, 1
 * torch.split(torch.arange(5), [1, 4]);
 */
export function split(
  x: Tensor,
  sizeOrSections: number | readonly number[],
  dimArg: number | { dim?: number } = 0,
): Tensor[] {
  checkTensor("split", "input", x);
  const dim = (isKeywords(dimArg) ? dimArg.dim : dimArg) ?? 0;
  if (x.ndim === 0) {
    throw new IndexError("Dimension specified as 0 but tensor has no dimensions");
  }
  const d = normalizeDim(dim, x.ndim);
  const dimSize = x.shape[d]!;
  if (typeof sizeOrSections !== "number") {
    const sizes = sizeOrSections;
    const listed = `[${sizes.join(", ")}]`;
    if (sizes.some((s) => !Number.isInteger(s) || s < 0)) {
      throw new ValueError(
        `split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes=${listed}`,
      );
    }
    const sum = sizes.reduce((a, b) => a + b, 0);
    if (sum !== dimSize) {
      throw new ShapeError(
        `split_with_sizes expects split_sizes to sum exactly to ${dimSize} (input tensor's size at dimension ${d}), but got split_sizes=${listed}`,
      );
    }
    let start = 0;
    return sizes.map((s) => {
      const piece = narrow(x, d, start, s);
      start += s;
      return piece;
    });
  }
  const size = sizeOrSections;
  if (!Number.isInteger(size) || size < 0) {
    throw new ValueError(`split expects split_size be non-negative, but got split_size=${size}`);
  }
  if (size === 0 && dimSize !== 0) {
    throw new ValueError(
      `split_size can only be 0 if dimension size is 0, but got dimension size of ${dimSize}`,
    );
  }
  const pieces = size === 0 ? 1 : Math.max(Math.ceil(dimSize / size), 1);
  const out: Tensor[] = [];
  for (let i = 0; i < pieces; i++) {
    const start = i * size;
    out.push(narrow(x, d, start, Math.min(size, dimSize - start)));
  }
  return out;
}

/**
 * Splits `x` into at most `chunks` views of ceil(size / chunks) along `dim` (PyTorch's rule:
 * fewer chunks may come back), as torch.chunk.
 *
 * @example
 * torch.chunk(torch.arange(6), 4); // sizes 2, 2, 2
 */
export function chunk(x: Tensor, chunks: number, dimArg: number | { dim?: number } = 0): Tensor[] {
  checkTensor("chunk", "input", x);
  const dim = (isKeywords(dimArg) ? dimArg.dim : dimArg) ?? 0;
  if (!Number.isInteger(chunks) || chunks <= 0) {
    throw new ValueError(`chunk expects \`chunks\` to be greater than 0, got: ${chunks}`);
  }
  if (x.ndim === 0) {
    throw new IndexError("Dimension specified as 0 but tensor has no dimensions");
  }
  const d = normalizeDim(dim, x.ndim);
  const dimSize = x.shape[d]!;
  // An empty dim gives `chunks` empty pieces, as in PyTorch.
  if (dimSize === 0) return split(x, new Array<number>(chunks).fill(0), d);
  return split(x, Math.ceil(dimSize / chunks), d);
}

/**
 * The slices of `x` along `dim`, each without that dim (views), as torch.unbind.
 *
 * @example
 * const [row0, row1] = torch.unbind(torch.eye(2));
 */
export function unbind(x: Tensor, dimArg: number | { dim?: number } = 0): Tensor[] {
  checkTensor("unbind", "input", x);
  const dim = (isKeywords(dimArg) ? dimArg.dim : dimArg) ?? 0;
  if (x.ndim === 0) {
    throw new IndexError("Dimension specified as 0 but tensor has no dimensions");
  }
  const d = normalizeDim(dim, x.ndim);
  return Array.from({ length: x.shape[d]! }, (_, i) => select(x, d, i));
}

declare module "../tensor/tensor.js" {
  interface Tensor {
    /** Views of pieces along `dim` (torch.Tensor.split). @example x.split(2) */
    split(sizeOrSections: number | readonly number[], dim?: number | { dim?: number }): Tensor[];
    /**
     * Views of at most `chunks` pieces along `dim` (torch.Tensor.chunk).
     *
     * @example
     * const [q, k, v] = qkv.chunk(3, -1)
     */
    chunk(chunks: number, dim?: number | { dim?: number }): Tensor[];
    /** The slices along `dim` (torch.Tensor.unbind). @example const rows = x.unbind(0) */
    unbind(dim?: number | { dim?: number }): Tensor[];
  }
}

defineMethods({
  split(this: Tensor, sizeOrSections: number | readonly number[], dim?: number | { dim?: number }) {
    return split(this, sizeOrSections, dim);
  },
  chunk(this: Tensor, chunks: number, dim?: number | { dim?: number }) {
    return chunk(this, chunks, dim);
  },
  unbind(this: Tensor, dim?: number | { dim?: number }) {
    return unbind(this, dim);
  },
});
