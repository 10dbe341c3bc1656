/** The Dropout layer. */
import type { Tensor } from "../tensor/tensor.js";
import { checkDropoutP, dropout } from "./functional/layers.js";
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
