import { checkIntList } from "../validation/arguments.js";
/** Conv1d and Conv2d layers. */
import { checkDevice, type DeviceLike } from "../tensor/device.js";
import { noGrad } from "../autograd/grad-mode.js";
import { ValueError } from "../errors.js";
import { conv1d, conv2d } from "../ops/conv.js";
import { empty } from "../tensor/create.js";
import type { DTypeLike } from "../tensor/dtype.js";
import type { Tensor } from "../tensor/tensor.js";
import { calculateFanInAndFanOut, kaimingUniform_, uniform_ } from "./init.js";
import { Module } from "./module.js";
import { Parameter } from "./parameter.js";
import { pyTuple } from "./repr.js";

/** Options of Conv1d/Conv2d (PyTorch's keyword arguments); sizes per spatial dim or one for all. */
export interface ConvModuleOptions<Size> {
  stride?: Size;
  /** Zero padding per side, or "valid" (none) or "same" (output size = input size, stride 1). */
  padding?: Size | "same" | "valid";
  dilation?: Size;
  groups?: number;
  bias?: boolean;
  /** Only "zeros" (PyTorch's default) is supported. */
  paddingMode?: "zeros";
  dtype?: DTypeLike;
  device?: DeviceLike;
}

/**
 * @internal PyTorch's _ConvNd.reset_parameters, shared by the convolutions and the transposed
 * ones: kaiming_uniform_(a = sqrt(5)) on the weight, then the bias from
 * U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in being weight.size(1) * prod(kernel).
 */
export function resetConvParameters(weight: Parameter, bias: Parameter | null): void {
  noGrad(() => {
    kaimingUniform_(weight, { a: Math.sqrt(5) });
    if (bias !== null) {
      const { fanIn } = calculateFanInAndFanOut(weight);
      if (fanIn !== 0) uniform_(bias, -1 / Math.sqrt(fanIn), 1 / Math.sqrt(fanIn));
    }
  });
}

/** @internal A size per spatial dim from one number or a list, checked. */
export function tupleOf(v: number | readonly number[], n: number, name: string): number[] {
  const t = typeof v === "number" ? new Array<number>(n).fill(v) : [...checkIntList(name, name, v)];
  if (t.length !== n || !t.every((x) => Number.isInteger(x)))
    throw new ValueError(`${name} must be ${n} integers, got ${JSON.stringify(v)}`);
  return t;
}

/** Shared by Conv1d and Conv2d (torch.nn.modules.conv._ConvNd). */
abstract class ConvNd extends Module {
  weight: Parameter;
  bias: Parameter | null;
  readonly kernelSize: readonly number[];
  readonly stride: readonly number[];
  readonly padding: readonly number[] | "same" | "valid";
  readonly dilation: readonly number[];
  readonly groups: number;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: number | readonly number[],
    n: number,
    options: ConvModuleOptions<number | readonly number[]>,
  ) {
    super();
    const groups = options.groups ?? 1;
    if (!Number.isInteger(groups) || groups <= 0)
      throw new ValueError("groups must be a positive integer");
    if (inChannels % groups !== 0) throw new ValueError("in_channels must be divisible by groups");
    if (outChannels % groups !== 0)
      throw new ValueError("out_channels must be divisible by groups");
    this.kernelSize = tupleOf(kernelSize, n, "kernel_size");
    this.stride = tupleOf(options.stride ?? 1, n, "stride");
    this.dilation = tupleOf(options.dilation ?? 1, n, "dilation");
    this.groups = groups;
    const padding = options.padding ?? 0;
    if (typeof padding === "string") {
      if (padding !== "same" && padding !== "valid")
        throw new ValueError(
          `Invalid padding string '${String(padding)}', should be one of {'valid', 'same'}`,
        );
      if (padding === "same" && this.stride.some((s) => s !== 1))
        throw new ValueError("padding='same' is not supported for strided convolutions");
      this.padding = padding;
    } else this.padding = tupleOf(padding, n, "padding");
    if ((options.paddingMode ?? "zeros") !== "zeros")
      throw new ValueError(
        `padding_mode must be one of ['zeros'] (others are not supported yet), but got padding_mode='${options.paddingMode}'`,
      );
    const dtype = options.dtype ?? "float32";
    // Parameters are made on the CPU, the only device; one that does not exist is refused.
    if (options.device !== undefined) checkDevice(options.device);
    this.weight = new Parameter(
      empty([outChannels, inChannels / groups, ...this.kernelSize], { dtype }),
    );
    this.bias = (options.bias ?? true) ? new Parameter(empty([outChannels], { dtype })) : null;
    this.resetParameters();
  }

  /**
   * Redraws weight then bias as PyTorch's reset_parameters: kaiming_uniform_(a = sqrt(5)), i.e.
   * U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with fan_in = inChannels / groups * prod(kernel), then
   * the bias from the same range, so that after `manualSeed(s)` the values equal PyTorch's.
   */
  resetParameters(): void {
    resetConvParameters(this.weight, this.bias);
  }

  override extraRepr(): string {
    // torch.nn.modules.conv._ConvNd.extra_repr: only settings that differ from the default.
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${pyTuple(this.kernelSize)}, stride=${pyTuple(this.stride)}`;
    const p = this.padding;
    if (typeof p === "string") s += `, padding=${p}`;
    else if (p.some((v) => v !== 0)) s += `, padding=${pyTuple(p)}`;
    if (this.dilation.some((v) => v !== 1)) s += `, dilation=${pyTuple(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ", bias=False";
    return s;
  }
}

/**
 * 2-D convolution layer (torch.nn.Conv2d): weight [out, in / groups, kH, kW], bias [out],
 * initialised as PyTorch's.
 *
 * @example
 * const conv = new nn.Conv2d(1, 32, 3, { padding: 1 });
 * conv.forward(torch.zeros([8, 1, 28, 28])).shape; // [8, 32, 28, 28]
 */
export class Conv2d extends ConvNd {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | readonly [number, number],
    options: ConvModuleOptions<number | readonly [number, number]> = {},
  ) {
    super(inChannels, outChannels, kernelSize, 2, options);
  }

  forward(x: Tensor): Tensor {
    const p = this.padding;
    return conv2d(x, this.weight, this.bias, {
      stride: this.stride as [number, number],
      padding: typeof p === "string" ? p : (p as [number, number]),
      dilation: this.dilation as [number, number],
      groups: this.groups,
    });
  }
}

/**
 * 1-D convolution layer (torch.nn.Conv1d): weight [out, in / groups, k], bias [out].
 *
 * @example
 * const conv = new nn.Conv1d(16, 33, 3, { stride: 2 });
 * conv.forward(torch.zeros([20, 16, 50])).shape; // [20, 33, 24]
 */
export class Conv1d extends ConvNd {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | readonly [number],
    options: ConvModuleOptions<number | readonly [number]> = {},
  ) {
    super(inChannels, outChannels, kernelSize, 1, options);
  }

  forward(x: Tensor): Tensor {
    const p = this.padding;
    return conv1d(x, this.weight, this.bias, {
      stride: this.stride[0]!,
      padding: typeof p === "string" ? p : p[0]!,
      dilation: this.dilation[0]!,
      groups: this.groups,
    });
  }
}
