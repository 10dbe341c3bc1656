/**
 * The tensor checks of the validation layer (apart from src/validation/arguments.ts, which the
 * tensor core itself imports): a tensor where a tensor goes, a list of tensors where a list goes.
 */
import { ArgumentTypeError } from "../errors.js";
import { Tensor } from "../tensor/tensor.js";
import { pyTypeName } from "./arguments.js";

/**
 * `x` as a Tensor, or PyTorch's "argument 'input' (position 1) must be Tensor, not str".
 *
 * @example
 * checkTensor("softmax", "input", x);
 */
export function checkTensor(fn: string, name: string, x: unknown): Tensor {
  if (!(x instanceof Tensor)) {
    throw new ArgumentTypeError(`${fn}(): argument '${name}' must be Tensor, not ${pyTypeName(x)}`);
  }
  return x;
}

/** `xs` as a non-empty list of Tensors ("expected Tensor as element 1 in argument 0"). */
export function checkTensorList(fn: string, name: string, xs: unknown): readonly Tensor[] {
  if (!Array.isArray(xs)) {
    throw new ArgumentTypeError(
      `${fn}(): argument '${name}' must be tuple of Tensors, not ${pyTypeName(xs)}`,
    );
  }
  xs.forEach((x, i) => {
    if (!(x instanceof Tensor)) {
      throw new ArgumentTypeError(
        `${fn}(): expected Tensor as element ${i} in argument '${name}', but got ${pyTypeName(x)}`,
      );
    }
  });
  return xs as readonly Tensor[];
}

/** `x` as a Tensor or null (an optional tensor such as a bias or running statistics). */
export function checkOptionalTensor(fn: string, name: string, x: unknown): Tensor | null {
  if (x === null || x === undefined) return null;
  return checkTensor(fn, name, x);
}
