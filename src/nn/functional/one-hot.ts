/** torch.nn.functional.one_hot. */
import { DTypeError, ValueError } from "../../errors.js";
import { arange } from "../../tensor/create.js";
import type { Tensor } from "../../tensor/tensor.js";
import { checkTensor } from "../../validation/tensors.js";

/**
 * One-hot rows for class indices (torch.nn.functional.one_hot): an int tensor of shape
 * `[...x.shape, numClasses]` with 1 at each index. `numClasses` -1 (the default) means
 * `x.max() + 1`. The result is int32 (PyTorch: int64).
 *
 * @example
 * F.oneHot(torch.tensor([0, 2]), 3); // [[1, 0, 0], [0, 0, 1]]
 */
export function oneHot(x: Tensor, numClasses = -1): Tensor {
  checkTensor("oneHot", "input", x);
  if (x.dtype !== "int32") throw new DTypeError("one_hot is only applicable to index tensor.");
  const values = x.toArray();
  let n = numClasses;
  if (n === -1) {
    if (values.length === 0) {
      throw new ValueError("Can not infer total number of classes from empty tensor.");
    }
    n = 0;
    for (const v of values) n = Math.max(n, v + 1);
  }
  for (const v of values) {
    if (v < 0) throw new ValueError("Class values must be non-negative.");
    if (v >= n) throw new ValueError("Class values must be smaller than num_classes.");
  }
  return x.unsqueeze(-1).eq(arange(n)).to("int32");
}
