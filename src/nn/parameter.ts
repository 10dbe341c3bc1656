import { Tensor } from "../tensor/tensor.js";

/**
 * A tensor that is a module's learnable parameter (torch.nn.Parameter): Module finds it by
 * assignment, and it requires grad by default. It shares storage with the tensor it wraps.
 *
 * @example
 * this.scale = new nn.Parameter(torch.ones([1]));
 */
export class Parameter extends Tensor {
  constructor(data: Tensor, requiresGrad = true) {
    super(data.storage, data.shape, data.strides, data.offset, null);
    this.requiresGrad_(requiresGrad);
  }

  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }
}
