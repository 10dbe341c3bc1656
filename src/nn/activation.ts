/** Activation layers: each wraps the function of the same name in nn.functional. */
import type { Tensor } from "../tensor/tensor.js";
import * as F from "./functional/index.js";
import { Module } from "./module.js";
import { pyFloat } from "./repr.js";

/** max(x, 0). @example new nn.ReLU() */
export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return F.relu(x);
  }
}

/** 1 / (1 + e^-x). @example const y = new torch.nn.Sigmoid()(torch.randn([3])); */
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return F.sigmoid(x);
  }
}

/** tanh(x). @example const y = new torch.nn.Tanh()(torch.randn([3])); */
export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return F.tanh(x);
  }
}

/** x where x > 0, else negativeSlope * x. @example new nn.LeakyReLU(0.2) */
export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    super();
  }

  forward(x: Tensor): Tensor {
    return F.leakyRelu(x, this.negativeSlope);
  }

  override extraRepr(): string {
    return `negative_slope=${pyFloat(this.negativeSlope)}`;
  }
}

/** x Phi(x), exact (erf) or with the tanh approximation. @example new nn.GELU("tanh") */
export class GELU extends Module {
  constructor(readonly approximate: "none" | "tanh" = "none") {
    super();
  }

  forward(x: Tensor): Tensor {
    return F.gelu(x, { approximate: this.approximate });
  }

  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

/**
 * x where x > 0, else alpha (e^x - 1).
 *
 * @example
 * const y = new torch.nn.ELU(1.0)(torch.randn([3]));
 */
export class ELU extends Module {
  constructor(readonly alpha = 1) {
    super();
  }

  forward(x: Tensor): Tensor {
    return F.elu(x, this.alpha);
  }

  override extraRepr(): string {
    return `alpha=${pyFloat(this.alpha)}`;
  }
}

/** x sigmoid(x). @example const y = new torch.nn.SiLU()(torch.randn([3])); */
export class SiLU extends Module {
  forward(x: Tensor): Tensor {
    return F.silu(x);
  }
}

/**
 * log(1 + e^(beta x)) / beta, linear above `threshold`.
 *
 * @example
 * const y = new torch.nn.Softplus(1, 20)(torch.randn([3]));
 */
export class Softplus extends Module {
  constructor(
    readonly beta = 1,
    readonly threshold = 20,
  ) {
    super();
  }

  forward(x: Tensor): Tensor {
    return F.softplus(x, { beta: this.beta, threshold: this.threshold });
  }

  // PyTorch's defaults are Python ints, printed without a decimal point.
  override extraRepr(): string {
    return `beta=${this.beta}, threshold=${this.threshold}`;
  }
}

/** clamp(x, minVal, maxVal). @example const y = new torch.nn.Hardtanh(-2, 2)(torch.randn([3])); */
export class Hardtanh extends Module {
  constructor(
    readonly minVal = -1,
    readonly maxVal = 1,
  ) {
    super();
  }

  forward(x: Tensor): Tensor {
    return F.hardtanh(x, this.minVal, this.maxVal);
  }

  override extraRepr(): string {
    return `min_val=${pyFloat(this.minVal)}, max_val=${pyFloat(this.maxVal)}`;
  }
}

/** Softmax over `dim`. @example new nn.Softmax(1) */
export class Softmax extends Module {
  constructor(readonly dim: number) {
    super();
  }

  forward(x: Tensor): Tensor {
    return F.softmax(x, this.dim);
  }

  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** log(softmax(x)) over `dim`, computed stably. @example new nn.LogSoftmax(1) */
export class LogSoftmax extends Module {
  constructor(readonly dim: number) {
    super();
  }

  forward(x: Tensor): Tensor {
    return F.logSoftmax(x, this.dim);
  }

  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}
