/** ConvTranspose1d and ConvTranspose2d layers. */
import { ValueError } from "../errors.js";
import { convTranspose1d, convTranspose2d } from "../ops/conv-transpose.js";
import { empty } from "../tensor/create.js";
import { checkDevice, type DeviceLike } from "../tensor/device.js";
import type { DTypeLike } from "../tensor/dtype.js";
import type { Tensor } from "../tensor/tensor.js";
import { resetConvParameters, tupleOf } from "./conv.js";
import { Module } from "./module.js";
import { Parameter } from "./parameter.js";
import { pyTuple } from "./repr.js";

/** Options of ConvTranspose1d/2d (PyTorch's keyword arguments). */
export interface ConvTransposeModuleOptions<Size> {
  stride?: Size;
  padding?: Size;
  outputPadding?: Size;
  groups?: number;
  bias?: boolean;
  dilation?: Size;
  /** Only "zeros", as PyTorch's ConvTranspose. */
  paddingMode?: "zeros";
  dtype?: DTypeLike;
  device?: DeviceLike;
}

/** Shared by ConvTranspose1d and ConvTranspose2d (torch.nn.modules.conv._ConvTransposeNd). */
abstract class ConvTransposeNd extends Module {
  weight: Parameter;
  bias: Parameter | null;
  readonly kernelSize: readonly number[];
  readonly stride: readonly number[];
  readonly padding: readonly number[];
  readonly outputPadding: readonly number[];
  readonly dilation: readonly number[];
  readonly groups: number;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: number | readonly number[],
    n: number,
    options: ConvTransposeModuleOptions<number | readonly number[]>,
  ) {
    super();
    const groups = options.groups ?? 1;
    if (!Number.isInteger(groups) || groups <= 0)
      throw new ValueError("groups must be a positive integer");
    if (inChannels % groups !== 0) throw new ValueError("in_channels must be divisible by groups");
    if (outChannels % groups !== 0)
      throw new ValueError("out_channels must be divisible by groups");
    if ((options.paddingMode ?? "zeros") !== "zeros")
      throw new ValueError(`Only "zeros" padding mode is supported for ${this.constructor.name}`);
    this.kernelSize = tupleOf(kernelSize, n, "kernel_size");
    this.stride = tupleOf(options.stride ?? 1, n, "stride");
    this.padding = tupleOf(options.padding ?? 0, n, "padding");
    this.outputPadding = tupleOf(options.outputPadding ?? 0, n, "output_padding");
    this.dilation = tupleOf(options.dilation ?? 1, n, "dilation");
    this.groups = groups;
    const dtype = options.dtype ?? "float32";
    if (options.device !== undefined) checkDevice(options.device);
    // PyTorch's transposed weight layout: [in, out / groups, *kernel].
    this.weight = new Parameter(
      empty([inChannels, outChannels / groups, ...this.kernelSize], { dtype }),
    );
    this.bias = (options.bias ?? true) ? new Parameter(empty([outChannels], { dtype })) : null;
    this.resetParameters();
  }

  /**
   * PyTorch's _ConvNd.reset_parameters: kaiming_uniform_(a = sqrt(5)) on the weight, then the
   * bias from U(-1/sqrt(fan_in), 1/sqrt(fan_in)); fan_in is weight.size(1) * prod(kernel), that
   * is out / groups * prod(kernel) for the transposed layout.
   */
  resetParameters(): void {
    resetConvParameters(this.weight, this.bias);
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${pyTuple(this.kernelSize)}, stride=${pyTuple(this.stride)}`;
    if (this.padding.some((v) => v !== 0)) s += `, padding=${pyTuple(this.padding)}`;
    if (this.dilation.some((v) => v !== 1)) s += `, dilation=${pyTuple(this.dilation)}`;
    if (this.outputPadding.some((v) => v !== 0))
      s += `, output_padding=${pyTuple(this.outputPadding)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ", bias=False";
    return s;
  }
}

/**
 * 2-D transposed convolution layer (torch.nn.ConvTranspose2d): weight [in, out / groups, kH, kW],
 * bias [out], initialised as PyTorch's. `forward`'s `output_size` argument is not supported:
 * pick the size with `outputPadding`.
 *
 * @example
 * const up = new nn.ConvTranspose2d(16, 8, 3, { stride: 2, padding: 1, outputPadding: 1 });
 * up(torch.zeros([1, 16, 14, 14])).shape; // [1, 8, 28, 28]
 */
export class ConvTranspose2d extends ConvTransposeNd {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | readonly [number, number],
    options: ConvTransposeModuleOptions<number | readonly [number, number]> = {},
  ) {
    super(inChannels, outChannels, kernelSize, 2, options);
  }

  forward(x: Tensor): Tensor {
    return convTranspose2d(x, this.weight, this.bias, {
      stride: this.stride as [number, number],
      padding: this.padding as [number, number],
      outputPadding: this.outputPadding as [number, number],
      dilation: this.dilation as [number, number],
      groups: this.groups,
    });
  }
}

/**
 * 1-D transposed convolution layer (torch.nn.ConvTranspose1d): weight [in, out / groups, k].
 *
 * @example
 * const up = new nn.ConvTranspose1d(4, 2, 3, { stride: 2 });
 * up(torch.zeros([1, 4, 10])).shape; // [1, 2, 21]
 */
export class ConvTranspose1d extends ConvTransposeNd {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | readonly [number],
    options: ConvTransposeModuleOptions<number | readonly [number]> = {},
  ) {
    super(inChannels, outChannels, kernelSize, 1, options);
  }

  forward(x: Tensor): Tensor {
    return convTranspose1d(x, this.weight, this.bias, {
      stride: this.stride[0]!,
      padding: this.padding[0]!,
      outputPadding: this.outputPadding[0]!,
      dilation: this.dilation[0]!,
      groups: this.groups,
    });
  }
}
