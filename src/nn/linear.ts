/** Linear and Identity layers. */
import { checkDevice, type DeviceLike } from "../tensor/device.js";
import { checkSize } from "../validation/arguments.js";
import { checkOptions } from "../validation/options.js";
import { noGrad } from "../autograd/grad-mode.js";
import { empty } from "../tensor/create.js";
import type { DTypeLike } from "../tensor/dtype.js";
import type { Tensor } from "../tensor/tensor.js";
import { linear } from "./functional/layers.js";
import { calculateFanInAndFanOut, kaimingUniform_, uniform_ } from "./init.js";
import { Module } from "./module.js";
import { Parameter } from "./parameter.js";
import { pyBool } from "./repr.js";

/**
 * y = x W^T + b (torch.nn.Linear). Weight [out, in] and bias [out] start as PyTorch's: weight
 * from kaiming_uniform_(a = sqrt(5)), i.e. U(-1/sqrt(in), 1/sqrt(in)), then bias from the same
 * range, drawn in that order so that a PyTorch-exact generator gives PyTorch's numbers.
 *
 * @example
 * const fc = new nn.Linear(4, 2);
 * fc.forward(torch.ones([8, 4])).shape; // [8, 2]
 */
export class Linear extends Module {
  weight: Parameter;
  bias: Parameter | null;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: { bias?: boolean; dtype?: DTypeLike; device?: DeviceLike } = {},
  ) {
    super();
    checkSize("Linear", "in_features", inFeatures);
    checkSize("Linear", "out_features", outFeatures);
    checkOptions("Linear", options, { bias: "boolean", dtype: "string", device: "unknown" });
    const dtype = options.dtype ?? "float32";
    // Parameters are made on the CPU, the only device; one that does not exist is refused.
    if (options.device !== undefined) checkDevice(options.device);
    this.weight = new Parameter(empty([outFeatures, inFeatures], { dtype }));
    this.bias = (options.bias ?? true) ? new Parameter(empty([outFeatures], { dtype })) : null;
    this.resetParameters();
  }

  /** Redraws weight and bias as the constructor does. */
  resetParameters(): void {
    noGrad(() => {
      kaimingUniform_(this.weight, { a: Math.sqrt(5) });
      if (this.bias !== null) {
        const { fanIn } = calculateFanInAndFanOut(this.weight);
        const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
        uniform_(this.bias, -bound, bound);
      }
    });
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${pyBool(this.bias !== null)}`;
  }
}

/** Returns its input (torch.nn.Identity), e.g. to switch a layer off. @example new nn.Identity() */
export class Identity extends Module {
  forward(x: Tensor): Tensor {
    return x;
  }
}
