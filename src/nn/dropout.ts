/** The Dropout and Dropout2d layers. */
import type { Tensor } from "../tensor/tensor.js";
import { checkDropoutP, dropout, dropout2d } from "./functional/layers.js";
import { Module } from "./module.js";
import { pyFloat } from "./repr.js";

/**
 * In training mode zeroes each element with probability p and scales the rest by 1/(1-p);
 * in eval mode it is the identity (torch.nn.Dropout).
 *
 * @example
 * const drop = new nn.Dropout(0.2);
 * drop.eval(); drop.forward(x); // x
 */
export class Dropout extends Module {
  constructor(readonly p = 0.5) {
    super();
    checkDropoutP(p);
  }

  forward(x: Tensor): Tensor {
    return dropout(x, { p: this.p, training: this.training });
  }

  override extraRepr(): string {
    return `p=${pyFloat(this.p)}, inplace=False`;
  }
}

/**
 * In training mode zeroes whole channels of [N, C, H, W] with probability p and scales the rest
 * by 1/(1-p) (torch.nn.Dropout2d); the identity in eval mode. The masks equal PyTorch 1.13's for
 * the same seed (see F.dropout2d for its reading of 3-D input).
 *
 * @example
 * const drop = new nn.Dropout2d(0.25);
 * drop.forward(torch.ones([2, 4, 3, 3]));
 */
export class Dropout2d extends Module {
  constructor(readonly p = 0.5) {
    super();
    checkDropoutP(p);
  }

  forward(x: Tensor): Tensor {
    return dropout2d(x, { p: this.p, training: this.training });
  }

  override extraRepr(): string {
    return `p=${pyFloat(this.p)}, inplace=False`;
  }
}
