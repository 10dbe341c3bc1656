/** Pooling layers: MaxPool1d/2d, AvgPool1d/2d, AdaptiveAvgPool2d. */
import type { Pair } from "../ops/conv.js";
import {
  avgPool1d,
  maxPool1d,
  maxPool2d,
  type PooledIndices,
  type Pool1dOptions,
} from "../ops/max-pool.js";
import { adaptiveAvgPool2d, avgPool2d, type PoolOptions } from "../ops/pool.js";
import type { Tensor } from "../tensor/tensor.js";
import { Module } from "./module.js";
import { pyBool, pyTuple } from "./repr.js";

/** A size as the user gave it, printed as PyTorch prints that Python value: `2` or `(2, 3)`. */
function pySize(v: number | readonly (number | null)[]): string {
  if (typeof v === "number") return String(v);
  const items = v.map((x) => (x === null ? "None" : String(x)));
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(", ")})`;
}

/** The output of a max pooling layer: values, or `[values, indices]` with `returnIndices`. */
export type MaxPoolOutput<R extends boolean> = R extends true ? PooledIndices : Tensor;

/**
 * 2-D max pooling (torch.nn.MaxPool2d); with `returnIndices: true` forward gives
 * `[values, indices]` (flat h * W + w per input plane).
 *
 * @example
 * const pool = new nn.MaxPool2d(2);
 * pool.forward(torch.zeros([1, 3, 28, 28])).shape; // [1, 3, 14, 14]
 */
export class MaxPool2d<R extends boolean = false> extends Module {
  readonly stride: Pair;
  readonly padding: Pair;
  readonly dilation: Pair;
  readonly ceilMode: boolean;
  readonly returnIndices: R;

  constructor(
    readonly kernelSize: Pair,
    options: PoolOptions & { returnIndices?: R } = {},
  ) {
    super();
    this.stride = options.stride ?? kernelSize;
    this.padding = options.padding ?? 0;
    this.dilation = options.dilation ?? 1;
    this.ceilMode = options.ceilMode ?? false;
    this.returnIndices = (options.returnIndices ?? false) as R;
  }

  forward(x: Tensor): MaxPoolOutput<R> {
    return maxPool2d(x, this.kernelSize, {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      ceilMode: this.ceilMode,
      returnIndices: this.returnIndices,
    }) as MaxPoolOutput<R>;
  }

  override extraRepr(): string {
    return (
      `kernel_size=${pySize(this.kernelSize)}, stride=${pySize(this.stride)}, ` +
      `padding=${pySize(this.padding)}, dilation=${pySize(this.dilation)}, ceil_mode=${pyBool(this.ceilMode)}`
    );
  }
}

/**
 * 1-D max pooling over [N, C, L] (torch.nn.MaxPool1d).
 *
 * @example
 * new nn.MaxPool1d(2).forward(torch.zeros([1, 4, 10])).shape; // [1, 4, 5]
 */
export class MaxPool1d<R extends boolean = false> extends Module {
  readonly stride: number;
  readonly padding: number;
  readonly dilation: number;
  readonly ceilMode: boolean;
  readonly returnIndices: R;

  constructor(
    readonly kernelSize: number,
    options: Pool1dOptions & { returnIndices?: R } = {},
  ) {
    super();
    this.stride = options.stride ?? kernelSize;
    this.padding = options.padding ?? 0;
    this.dilation = options.dilation ?? 1;
    this.ceilMode = options.ceilMode ?? false;
    this.returnIndices = (options.returnIndices ?? false) as R;
  }

  forward(x: Tensor): MaxPoolOutput<R> {
    const options = {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      ceilMode: this.ceilMode,
    };
    return (
      this.returnIndices
        ? maxPool1d(x, this.kernelSize, { ...options, returnIndices: true })
        : maxPool1d(x, this.kernelSize, options)
    ) as MaxPoolOutput<R>;
  }

  override extraRepr(): string {
    return (
      `kernel_size=${this.kernelSize}, stride=${this.stride}, padding=${this.padding}, ` +
      `dilation=${this.dilation}, ceil_mode=${pyBool(this.ceilMode)}`
    );
  }
}

/** Options of AvgPool2d (PyTorch's keyword arguments). */
export interface AvgPoolModuleOptions {
  stride?: Pair | null;
  padding?: Pair;
  ceilMode?: boolean;
  countIncludePad?: boolean;
  divisorOverride?: number;
}

/**
 * 2-D average pooling (torch.nn.AvgPool2d).
 *
 * @example
 * new nn.AvgPool2d(2).forward(torch.zeros([1, 3, 8, 8])).shape; // [1, 3, 4, 4]
 */
export class AvgPool2d extends Module {
  readonly stride: Pair;
  readonly padding: Pair;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  readonly divisorOverride: number | undefined;

  constructor(
    readonly kernelSize: Pair,
    options: AvgPoolModuleOptions = {},
  ) {
    super();
    this.stride = options.stride ?? kernelSize;
    this.padding = options.padding ?? 0;
    this.ceilMode = options.ceilMode ?? false;
    this.countIncludePad = options.countIncludePad ?? true;
    this.divisorOverride = options.divisorOverride;
  }

  forward(x: Tensor): Tensor {
    return avgPool2d(x, this.kernelSize, {
      stride: this.stride,
      padding: this.padding,
      ceilMode: this.ceilMode,
      countIncludePad: this.countIncludePad,
      ...(this.divisorOverride === undefined ? {} : { divisorOverride: this.divisorOverride }),
    });
  }

  override extraRepr(): string {
    // PyTorch's AvgPool2d prints only these three.
    return `kernel_size=${pySize(this.kernelSize)}, stride=${pySize(this.stride)}, padding=${pySize(this.padding)}`;
  }
}

/**
 * 1-D average pooling over [N, C, L] (torch.nn.AvgPool1d).
 *
 * @example
 * new nn.AvgPool1d(3, { stride: 2 }).forward(torch.zeros([1, 2, 9])).shape; // [1, 2, 4]
 */
export class AvgPool1d extends Module {
  readonly stride: number;
  readonly padding: number;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;

  constructor(
    readonly kernelSize: number,
    options: Omit<Pool1dOptions, "dilation"> & { countIncludePad?: boolean } = {},
  ) {
    super();
    this.stride = options.stride ?? kernelSize;
    this.padding = options.padding ?? 0;
    this.ceilMode = options.ceilMode ?? false;
    this.countIncludePad = options.countIncludePad ?? true;
  }

  forward(x: Tensor): Tensor {
    return avgPool1d(x, this.kernelSize, {
      stride: this.stride,
      padding: this.padding,
      ceilMode: this.ceilMode,
      countIncludePad: this.countIncludePad,
    });
  }

  override extraRepr(): string {
    // PyTorch stores AvgPool1d's sizes as 1-tuples.
    return `kernel_size=${pyTuple([this.kernelSize])}, stride=${pyTuple([this.stride])}, padding=${pyTuple([this.padding])}`;
  }
}

/**
 * Adaptive average pooling to a fixed output size (torch.nn.AdaptiveAvgPool2d); null in a
 * pair keeps that input size.
 *
 * @example
 * new nn.AdaptiveAvgPool2d(1).forward(torch.zeros([2, 8, 5, 7])).shape; // [2, 8, 1, 1]
 */
export class AdaptiveAvgPool2d extends Module {
  constructor(readonly outputSize: number | readonly [number | null, number | null]) {
    super();
  }

  forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(x, this.outputSize);
  }

  override extraRepr(): string {
    return `output_size=${pySize(this.outputSize)}`;
  }
}
