/** nn.utils.parametersToVector / vectorToParameters. */
import { checkIterable } from "../../validation/arguments.js";
import { checkTensorList } from "../../validation/tensors.js";
import { noGrad } from "../../autograd/grad-mode.js";
import { ArgumentTypeError } from "../../errors.js";
import { cat } from "../../ops/join.js";
import { Tensor } from "../../tensor/tensor.js";
import { pyTypeName } from "../../validation/arguments.js";

/**
 * The parameters flattened and joined into one 1-d tensor (torch.nn.utils.parameters_to_vector);
 * differentiable, so gradients reach the parameters.
 *
 * @example
 * const flat = nn.utils.parametersToVector(model.parameters());
 */
export function parametersToVector(parameters: Iterable<Tensor>): Tensor {
  checkIterable("parameters_to_vector", "parameters", parameters);
  const list = [...parameters];
  checkTensorList("parameters_to_vector", "parameters", list);
  return cat(list.map((p) => p.reshape(-1)));
}

/**
 * Copies consecutive slices of the 1-d `vec` into the parameters, each reshaped to its shape
 * (torch.nn.utils.vector_to_parameters). PyTorch makes each parameter a view of `vec`
 * (`param.data = ...`); torchlet copies the values, so later writes to `vec` do not reach them.
 *
 * @example
 * nn.utils.vectorToParameters(flat, model.parameters());
 */
export function vectorToParameters(vec: Tensor, parameters: Iterable<Tensor>): void {
  if (!(vec instanceof Tensor)) {
    throw new ArgumentTypeError(`expected torch.Tensor, but got: ${pyTypeName(vec)}`);
  }
  checkIterable("vector_to_parameters", "parameters", parameters);
  parameters = [...parameters];
  checkTensorList("vector_to_parameters", "parameters", parameters);
  let pointer = 0;
  noGrad(() => {
    for (const p of parameters) {
      const n = p.numel();
      p.copy_(vec.slice(0, pointer, pointer + n).view(p.shape));
      pointer += n;
    }
  });
}
