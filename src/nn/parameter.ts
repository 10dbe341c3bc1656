import { checkTensor } from "../validation/tensors.js";
import { Tensor } from "../tensor/tensor.js";

/** The fields of a Tensor that say where its elements live, writable for `setData_`. */
type MutableTensorFields = {
  -readonly [K in "storage" | "shape" | "strides" | "offset"]: Tensor[K];
};

/**
 * A tensor that is a module's learnable parameter (torch.nn.Parameter): Module finds it by
 * assignment, and it requires grad by default. It shares storage with the tensor it wraps.
 *
 * @example
 * this.scale = new nn.Parameter(torch.ones([1]));
 */
export class Parameter extends Tensor {
  constructor(data: Tensor, requiresGrad = true) {
    super(
      checkTensor("Parameter", "data", data).storage,
      data.shape,
      data.strides,
      data.offset,
      null,
    );
    this.requiresGrad_(requiresGrad);
  }

  /**
   * @internal Points this parameter at `data`'s elements, keeping its identity (PyTorch's
   * `param.data = data`), so that optimizers holding it still see it after `module.to(dtype)`.
   */
  setData_(data: Tensor): void {
    const self = this as unknown as MutableTensorFields;
    self.storage = data.storage;
    self.shape = data.shape;
    self.strides = data.strides;
    self.offset = data.offset;
  }

  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }
}
