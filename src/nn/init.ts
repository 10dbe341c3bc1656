/**
 * torch.nn.init: in-place initialisers. Each runs without recording autograd and returns its
 * tensor, so it works on parameters that require grad.
 *
 * @example
 * nn.init.xavierUniform_(layer.weight);
 * nn.init.zeros_(layer.bias!);
 */
import { noGrad } from "../autograd/grad-mode.js";
import { ValueError } from "../errors.js";
import type { Tensor } from "../tensor/tensor.js";
import { normalFill, uniformFill } from "./init-random.js";
import { checkTensor } from "../validation/tensors.js";

/** The nonlinearities `calculateGain` knows (PyTorch's names). */
export type Nonlinearity =
  | "linear"
  | "conv1d"
  | "conv2d"
  | "conv3d"
  | "conv_transpose1d"
  | "conv_transpose2d"
  | "conv_transpose3d"
  | "sigmoid"
  | "tanh"
  | "relu"
  | "leaky_relu"
  | "selu";

/**
 * The recommended gain for a nonlinearity (torch.nn.init.calculate_gain); `param` is
 * leaky_relu's negative slope (default 0.01).
 *
 * @example
 * nn.init.calculateGain("tanh"); // 5 / 3
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case "linear":
    case "conv1d":
    case "conv2d":
    case "conv3d":
    case "conv_transpose1d":
    case "conv_transpose2d":
    case "conv_transpose3d":
    case "sigmoid":
      return 1;
    case "tanh":
      return 5 / 3;
    case "relu":
      return Math.SQRT2;
    case "leaky_relu": {
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case "selu":
      return 3 / 4;
    default:
      throw new ValueError(`Unsupported nonlinearity ${String(nonlinearity)}`);
  }
}

/**
 * fan_in (inputs per output unit) and fan_out of a weight [out, in, ...kernel].
 *
 * @example
 * torch.nn.init.calculateFanInAndFanOut(torch.empty([3, 4])); // { fanIn: 4, fanOut: 3 }
 */
export function calculateFanInAndFanOut(t: Tensor): { fanIn: number; fanOut: number } {
  checkTensor("calculateFanInAndFanOut", "tensor", t);
  if (t.ndim < 2) {
    throw new ValueError(
      "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions",
    );
  }
  let receptive = 1;
  for (let d = 2; d < t.ndim; d++) receptive *= t.shape[d]!;
  return { fanIn: t.shape[1]! * receptive, fanOut: t.shape[0]! * receptive };
}

/** Fills from U(a, b). @example nn.init.uniform_(w, -0.1, 0.1) */
export function uniform_(t: Tensor, a = 0, b = 1): Tensor {
  checkTensor("uniform_", "tensor", t);
  return uniformFill(t, a, b);
}

/** Fills from N(mean, std^2). @example nn.init.normal_(w, 0, 0.02) */
export function normal_(t: Tensor, mean = 0, std = 1): Tensor {
  checkTensor("normal_", "tensor", t);
  return normalFill(t, mean, std);
}

/** Fills with `value`. @example nn.init.constant_(b, 0.1) */
export function constant_(t: Tensor, value: number): Tensor {
  checkTensor("constant_", "tensor", t);
  return noGrad(() => t.fill_(value));
}

/** Fills with 0. @example torch.nn.init.zeros_(new torch.nn.Linear(4, 3).bias!); */
export function zeros_(t: Tensor): Tensor {
  checkTensor("zeros_", "tensor", t);
  return constant_(t, 0);
}

/** Fills with 1. @example torch.nn.init.ones_(new torch.nn.LayerNorm(4).weight!); */
export function ones_(t: Tensor): Tensor {
  checkTensor("ones_", "tensor", t);
  return constant_(t, 1);
}

/**
 * Glorot uniform: U(-b, b), b = gain sqrt(6 / (fan_in + fan_out)).
 *
 * @example
 * torch.nn.init.xavierUniform_(new torch.nn.Linear(4, 3).weight);
 */
export function xavierUniform_(t: Tensor, gain = 1): Tensor {
  checkTensor("xavierUniform_", "tensor", t);
  const { fanIn, fanOut } = calculateFanInAndFanOut(t);
  const bound = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniformFill(t, -bound, bound);
}

/**
 * Glorot normal: N(0, std^2), std = gain sqrt(2 / (fan_in + fan_out)).
 *
 * @example
 * torch.nn.init.xavierNormal_(new torch.nn.Linear(4, 3).weight);
 */
export function xavierNormal_(t: Tensor, gain = 1): Tensor {
  checkTensor("xavierNormal_", "tensor", t);
  const { fanIn, fanOut } = calculateFanInAndFanOut(t);
  return normalFill(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)));
}

/** Options of the Kaiming initialisers (PyTorch's defaults: a=0, fan_in, leaky_relu). */
export interface KaimingOptions {
  /** leaky_relu's negative slope. */
  a?: number;
  mode?: "fan_in" | "fan_out";
  nonlinearity?: Nonlinearity;
}

function kaimingStd(t: Tensor, options: KaimingOptions): number {
  const mode = options.mode ?? "fan_in";
  if (mode !== "fan_in" && mode !== "fan_out") {
    throw new ValueError(`Mode ${String(mode)} not supported, please use one of fan_in, fan_out`);
  }
  const { fanIn, fanOut } = calculateFanInAndFanOut(t);
  const gain = calculateGain(options.nonlinearity ?? "leaky_relu", options.a ?? 0);
  return gain / Math.sqrt(mode === "fan_in" ? fanIn : fanOut);
}

/**
 * He uniform: U(-b, b), b = gain sqrt(3 / fan). nn.Linear's default init is
 * `kaimingUniform_(w, { a: Math.sqrt(5) })`.
 *
 * @example
 * torch.nn.init.kaimingUniform_(conv.weight, { a: Math.sqrt(5) });
 */
export function kaimingUniform_(t: Tensor, options: KaimingOptions = {}): Tensor {
  checkTensor("kaimingUniform_", "tensor", t);
  const bound = Math.sqrt(3) * kaimingStd(t, options);
  return uniformFill(t, -bound, bound);
}

/**
 * He normal: N(0, std^2), std = gain / sqrt(fan).
 *
 * @example
 * torch.nn.init.kaimingNormal_(conv.weight, { mode: "fan_out", nonlinearity: "relu" });
 */
export function kaimingNormal_(t: Tensor, options: KaimingOptions = {}): Tensor {
  checkTensor("kaimingNormal_", "tensor", t);
  return normalFill(t, 0, kaimingStd(t, options));
}
export { truncNormal_ } from "./init-trunc.js";
