/** GroupNorm and Upsample layers. */
import { ValueError } from "../errors.js";
import { ones, zeros } from "../tensor/create.js";
import { checkDevice, type DeviceLike } from "../tensor/device.js";
import type { DTypeLike } from "../tensor/dtype.js";
import type { Tensor } from "../tensor/tensor.js";
import { groupNorm } from "./functional/group-norm.js";
import { interpolate, type InterpolateMode } from "./functional/interpolate.js";
import { Module } from "./module.js";
import { Parameter } from "./parameter.js";
import { pyBool, pyFloat } from "./repr.js";

/**
 * Group normalization (torch.nn.GroupNorm): the channels split into `numGroups` groups, each
 * normalised over its channels and positions, then a per-channel weight (ones) and bias (zeros).
 *
 * @example
 * const gn = new nn.GroupNorm(2, 6);
 * gn(torch.randn([4, 6, 8, 8])).shape; // [4, 6, 8, 8]
 */
export class GroupNorm extends Module {
  weight: Parameter | null;
  bias: Parameter | null;
  readonly eps: number;
  readonly affine: boolean;

  constructor(
    readonly numGroups: number,
    readonly numChannels: number,
    options: { eps?: number; affine?: boolean; dtype?: DTypeLike; device?: DeviceLike } = {},
  ) {
    super();
    if (numChannels % numGroups !== 0)
      throw new ValueError("num_channels must be divisible by num_groups");
    this.eps = options.eps ?? 1e-5;
    this.affine = options.affine ?? true;
    const dtype = options.dtype ?? "float32";
    if (options.device !== undefined) checkDevice(options.device);
    this.weight = this.affine ? new Parameter(ones([numChannels], { dtype })) : null;
    this.bias = this.affine ? new Parameter(zeros([numChannels], { dtype })) : null;
  }

  forward(x: Tensor): Tensor {
    return groupNorm(x, this.numGroups, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${pyFloat(this.eps)}, affine=${pyBool(this.affine)}`;
  }
}

/** Options of nn.Upsample: an output `size` or a `scaleFactor`, as F.interpolate's. */
export interface UpsampleOptions {
  size?: number | readonly number[];
  scaleFactor?: number | readonly number[];
  /** Default "nearest". */
  mode?: InterpolateMode;
  alignCorners?: boolean;
  recomputeScaleFactor?: boolean;
}

/**
 * Upsamples the spatial dims of [N, C, ...] inputs (torch.nn.Upsample): F.interpolate with the
 * module's size or scale factor and mode.
 *
 * @example
 * const up = new nn.Upsample({ scaleFactor: 2, mode: "bilinear", alignCorners: false });
 * up(torch.zeros([1, 3, 8, 8])).shape; // [1, 3, 16, 16]
 */
export class Upsample extends Module {
  constructor(readonly options: UpsampleOptions = {}) {
    super();
  }

  forward(x: Tensor): Tensor {
    return interpolate(x, this.options);
  }

  override extraRepr(): string {
    // torch.nn.Upsample.extra_repr: the scale factor if given, else the size.
    const { size, scaleFactor, mode = "nearest" } = this.options;
    const show = (v: number | readonly number[], f: (n: number) => string): string =>
      typeof v === "number" ? f(v) : `(${v.map(f).join(", ")}${v.length === 1 ? "," : ""})`;
    const head =
      scaleFactor !== undefined
        ? `scale_factor=${show(scaleFactor, pyFloat)}`
        : `size=${size === undefined ? "None" : show(size, String)}`;
    return `${head}, mode=${mode}`;
  }
}
