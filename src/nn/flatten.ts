/** Flatten and Unflatten layers. */
import type { Tensor } from "../tensor/tensor.js";
import { Module } from "./module.js";
import { pyTuple } from "./repr.js";

/** Flattens dims startDim..endDim (torch.nn.Flatten, default keeps the batch dim). @example new nn.Flatten() */
export class Flatten extends Module {
  constructor(
    readonly startDim = 1,
    readonly endDim = -1,
  ) {
    super();
  }

  forward(x: Tensor): Tensor {
    return x.flatten(this.startDim, this.endDim);
  }

  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}

/** Splits dim `dim` into `unflattenedSize` (torch.nn.Unflatten). @example new nn.Unflatten(1, [2, 3]) */
export class Unflatten extends Module {
  constructor(
    readonly dim: number,
    readonly unflattenedSize: readonly number[],
  ) {
    super();
  }

  forward(x: Tensor): Tensor {
    return x.unflatten(this.dim, this.unflattenedSize);
  }

  override extraRepr(): string {
    return `dim=${this.dim}, unflattened_size=${pyTuple(this.unflattenedSize)}`;
  }
}
