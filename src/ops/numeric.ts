/**
 * Elementwise numeric helpers built from existing ops: square, nanToNum, isclose/allclose.
 */
import { Tensor } from "../tensor/tensor.js";
import { inPlace } from "./inplace.js";
import { pow } from "./binary.js";
import { savedSelf } from "./cumulative.js";
import { defineMethods } from "./support.js";

/**
 * x² elementwise (torch.square: `pow(x, 2)`, so integers stay integers).
 *
 * @example
 * torch.square(torch.tensor([-2, 3])); // tensor([4, 9])
 */
export function square(x: Tensor): Tensor {
  return pow(x, 2);
}

declare module "../tensor/tensor.js" {
  interface Tensor {
    /** `torch.square(this)`. @example x.square() */
    square(): Tensor;
    /** In-place square. */
    square_(): this;
  }
}

defineMethods({
  square(this: Tensor) {
    return square(this);
  },
  square_(this: Tensor) {
    return inPlace("square_", this, () => square(savedSelf(this)));
  },
});
