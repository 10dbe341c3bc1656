/**
 * torch.nn.functional.interpolate for the modes "nearest", "nearest-exact", "linear", "bilinear",
 * "trilinear" and "area" ("area" is adaptive average pooling). The others are separable
 * composites: per spatial dim, an indexSelect of the source rows (nearest) or two
 * of them blended with per-position weights (linear), so the gradient is the sum of the copies,
 * as PyTorch's upsample backward. Indices and weights follow ATen's UpSample.h: float32 inputs
 * compute scales and source positions in float32 (opmath), float64 in float64.
 */
import { NotImplementedError, ValueError } from "../../errors.js";
import { indexSelect } from "../../ops/indexing.js";
import { adaptiveAvgPool2d } from "../../ops/pool.js";
import { Tensor } from "../../tensor/tensor.js";
import { checkTensor } from "../../validation/tensors.js";

/** The interpolation modes supported. */
export type InterpolateMode =
  "nearest" | "nearest-exact" | "linear" | "bilinear" | "trilinear" | "area";

/** Options of interpolate: an output `size` or a `scaleFactor` (one of them). */
export interface InterpolateOptions {
  size?: number | readonly number[];
  scaleFactor?: number | readonly number[];
  /** Default "nearest". */
  mode?: InterpolateMode;
  /** Linear modes only: map the corner pixels' centres onto each other. Default false. */
  alignCorners?: boolean;
  /** Compute the kernel's scale from the output size instead of using `scaleFactor`. */
  recomputeScaleFactor?: boolean;
}

const SPATIAL: Record<"linear" | "bilinear" | "trilinear", number> = {
  linear: 1,
  bilinear: 2,
  trilinear: 3,
};

/** The scale ATen's kernels use for one dim (area_pixel_compute_scale / nearest). */
function scaleOf(
  inSize: number,
  outSize: number,
  alignCorners: boolean,
  scale: number | undefined,
  round: (v: number) => number,
): number {
  if (alignCorners) return outSize > 1 ? round((inSize - 1) / (outSize - 1)) : 0;
  return scale !== undefined && scale > 0 ? round(1 / scale) : round(inSize / outSize);
}

function nearestDim(
  x: Tensor,
  d: number,
  outSize: number,
  scale: number | undefined,
  exact: boolean,
): Tensor {
  const n = x.shape[d]!;
  const index = new Int32Array(outSize);
  // nearest_idx: identity and exact doubling are special-cased; otherwise floor(i * scale) in
  // float32 (ATen computes the nearest scale as a float whatever the dtype).
  const s = scaleOf(n, outSize, false, scale, Math.fround);
  for (let i = 0; i < outSize; i++) {
    // nearest-exact: the pixel whose centre is nearest, floor((i + 0.5) * scale).
    if (exact) index[i] = Math.min(Math.floor(Math.fround((i + 0.5) * s)), n - 1);
    else if (outSize === n) index[i] = i;
    else if (outSize === 2 * n) index[i] = i >> 1;
    else index[i] = Math.min(Math.floor(Math.fround(i * s)), n - 1);
  }
  return indexSelect(x, d, Tensor.fromData(index, [outSize]));
}

function linearDim(
  x: Tensor,
  d: number,
  outSize: number,
  alignCorners: boolean,
  scale: number | undefined,
): Tensor {
  const n = x.shape[d]!;
  const round = x.dtype === "float64" ? (v: number) => v : Math.fround;
  const s = scaleOf(n, outSize, alignCorners, scale, round);
  const i0 = new Int32Array(outSize);
  const i1 = new Int32Array(outSize);
  const w0 = x.dtype === "float64" ? new Float64Array(outSize) : new Float32Array(outSize);
  const w1 = x.dtype === "float64" ? new Float64Array(outSize) : new Float32Array(outSize);
  for (let i = 0; i < outSize; i++) {
    // area_pixel_compute_source_index, then compute_source_index_and_lambda.
    const src = alignCorners ? round(s * i) : Math.max(round(round(s * round(i + 0.5)) - 0.5), 0);
    const lo = Math.min(Math.trunc(src), n - 1);
    const lambda = Math.min(Math.max(round(src - lo), 0), 1);
    i0[i] = lo;
    i1[i] = lo + (lo < n - 1 ? 1 : 0);
    w1[i] = lambda;
    w0[i] = round(1 - lambda);
  }
  const shape = x.shape.map((_, k) => (k === d ? outSize : 1));
  const a = indexSelect(x, d, Tensor.fromData(i0, [outSize]));
  const b = indexSelect(x, d, Tensor.fromData(i1, [outSize]));
  return a.mul(Tensor.fromData(w0, shape)).add(b.mul(Tensor.fromData(w1, shape)));
}

function listOf(v: number | readonly number[], n: number): number[] {
  return typeof v === "number" ? new Array<number>(n).fill(v) : [...v];
}

/**
 * Resizes the spatial dims of an [N, C, ...] input (torch.nn.functional.interpolate), to `size`
 * or by `scaleFactor`: "nearest" (3-D to 5-D inputs), "linear" (3-D), "bilinear" (4-D),
 * "trilinear" (5-D), with PyTorch's index and weight arithmetic and `alignCorners`.
 *
 * @example
 * F.interpolate(x, { scaleFactor: 2 }); // nearest, [N, C, H, W] -> [N, C, 2H, 2W]
 * F.interpolate(img, { size: [64, 64], mode: "bilinear", alignCorners: false });
 */
export function interpolate(x: Tensor, options: InterpolateOptions = {}): Tensor {
  checkTensor("interpolate", "input", x);
  const mode = options.mode ?? "nearest";
  const { size, scaleFactor, alignCorners, recomputeScaleFactor } = options;
  const nearest = mode === "nearest" || mode === "nearest-exact";
  const linearMode = mode === "linear" || mode === "bilinear" || mode === "trilinear";
  if (!nearest && mode !== "area" && !linearMode) {
    throw new NotImplementedError(
      `Input Error: Only 3D, 4D and 5D input Tensors supported (got ${x.ndim}D) for the modes: nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got ${String(mode)})`,
    );
  }
  if ((nearest || mode === "area") && alignCorners !== undefined) {
    throw new ValueError(
      "align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear",
    );
  }
  const spatial = x.ndim - 2;
  if (spatial < 1 || spatial > 3) {
    throw new NotImplementedError(
      `Input Error: Only 3D, 4D and 5D input Tensors supported (got ${x.ndim}D) for the modes: nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got ${mode})`,
    );
  }
  if (linearMode && SPATIAL[mode] !== spatial) {
    throw new NotImplementedError(
      `Got ${x.ndim}D input, but ${mode} mode needs ${SPATIAL[mode] + 2}D input`,
    );
  }
  if (size !== undefined && scaleFactor !== undefined) {
    throw new ValueError("only one of size or scale_factor should be defined");
  }
  if (size === undefined && scaleFactor === undefined) {
    throw new ValueError("either size or scale_factor should be defined");
  }
  const inSizes = x.shape.slice(2);
  let outSizes: number[];
  let scales: (number | undefined)[];
  if (size !== undefined) {
    outSizes = listOf(size, spatial);
    if (outSizes.length !== spatial) {
      throw new ValueError(
        `Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of [${inSizes.join(", ")}] and output size of (${outSizes.join(", ")}). Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) format.`,
      );
    }
    scales = outSizes.map(() => undefined);
  } else {
    const factors = listOf(scaleFactor!, spatial);
    if (factors.length !== spatial) {
      throw new ValueError(
        `Input and scale_factor must have the same number of spatial dimensions, but got input with spatial dimensions of [${inSizes.join(", ")}] and scale_factor of shape (${factors.join(", ")}). Please provide input tensor in (N, C, d1, d2, ...,dK) format and scale_factor in (s1, s2, ...,sK) format.`,
      );
    }
    outSizes = factors.map((f, i) => Math.floor(inSizes[i]! * f));
    scales = recomputeScaleFactor ? factors.map(() => undefined) : factors;
  }
  if (mode === "area") {
    // PyTorch's "area" is adaptive average pooling to the output size.
    if (spatial === 1) {
      return adaptiveAvgPool2d(x.unsqueeze(-2), [1, outSizes[0]!]).squeeze(-2);
    }
    if (spatial === 2) return adaptiveAvgPool2d(x, [outSizes[0]!, outSizes[1]!]);
    throw new NotImplementedError('interpolate: mode "area" of 5-D inputs is not supported yet');
  }
  let out = x;
  // Innermost dim first: ATen's kernel blends the last dim inside the outer ones.
  for (let i = spatial - 1; i >= 0; i--) {
    const d = i + 2;
    out = nearest
      ? nearestDim(out, d, outSizes[i]!, scales[i], mode === "nearest-exact")
      : linearDim(out, d, outSizes[i]!, alignCorners ?? false, scales[i]);
  }
  return out;
}
