/**
 * Loading a state dict into a module, with PyTorch's checks: every missing key, unexpected key
 * and size mismatch is collected first and reported in one error, before anything is copied.
 */
import { noGrad } from "../autograd/grad-mode.js";
import { TorchletError } from "../errors.js";
import { shapesEqual, type Shape } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import type { Module } from "./module.js";

/** A state dict as `stateDict()` returns it, or as a Map. */
export type StateDictLike = Readonly<Record<string, Tensor>> | ReadonlyMap<string, Tensor>;

/** What `loadStateDict` reports (PyTorch's `_IncompatibleKeys`). */
export interface LoadResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

/**
 * A state dict that does not fit the module (PyTorch raises RuntimeError).
 *
 * @example
 * try {
 *   model.loadStateDict(other);
 * } catch (e) {
 *   if (e instanceof torch.nn.StateDictError) console.log(e.message);
 * }
 */
export class StateDictError extends TorchletError {}

/** PyTorch prints shapes in these messages as `torch.Size([2, 3])`. */
export function torchSize(shape: Shape): string {
  return `torch.Size([${shape.join(", ")}])`;
}

/** @internal The body of `Module.loadStateDict`. */
export function loadStateDictInto(
  root: Module,
  stateDict: StateDictLike,
  strict: boolean,
): LoadResult {
  const entries: Map<string, Tensor> =
    stateDict instanceof Map
      ? new Map(stateDict)
      : new Map(Object.entries(stateDict as Record<string, Tensor>));
  const missingKeys: string[] = [];
  const unexpectedKeys: string[] = [];
  const sizeErrors: string[] = [];
  const copies: [Tensor, Tensor][] = [];

  // Mirrors torch.nn.Module._load_from_state_dict, module by module in state_dict order.
  const visit = (m: Module, prefix: string): void => {
    const local = new Map<string, Tensor>();
    for (const [name, p] of m.ownParameters()) if (p !== null) local.set(name, p);
    for (const [name, b, persistent] of m.ownBuffers()) {
      if (b !== null && persistent) local.set(name, b);
    }
    for (const [name, target] of local) {
      const key = prefix + name;
      const source = entries.get(key);
      if (source === undefined) {
        missingKeys.push(key);
      } else if (!shapesEqual(source.shape, target.shape)) {
        sizeErrors.push(
          `size mismatch for ${key}: copying a param with shape ${torchSize(source.shape)} from checkpoint, ` +
            `the shape in current model is ${torchSize(target.shape)}.`,
        );
      } else {
        copies.push([target, source]);
      }
    }
    const childNames = new Set(m.childSlots().map(([name]) => name));
    for (const key of entries.keys()) {
      if (!key.startsWith(prefix)) continue;
      const first = key.slice(prefix.length).split(".", 1)[0]!;
      if (!childNames.has(first) && !local.has(first)) unexpectedKeys.push(key);
    }
    for (const [name, child] of m.childSlots())
      if (child !== null) visit(child, `${prefix}${name}.`);
  };
  visit(root, "");

  const errors = [...sizeErrors];
  if (strict) {
    const quote = (keys: string[]): string => keys.map((k) => `"${k}"`).join(", ");
    if (unexpectedKeys.length > 0) {
      errors.unshift(`Unexpected key(s) in state_dict: ${quote(unexpectedKeys)}. `);
    }
    if (missingKeys.length > 0) {
      errors.unshift(`Missing key(s) in state_dict: ${quote(missingKeys)}. `);
    }
  }
  if (errors.length > 0) {
    throw new StateDictError(
      `Error(s) in loading state_dict for ${root.constructor.name}:\n\t${errors.join("\n\t")}`,
    );
  }
  noGrad(() => {
    for (const [target, source] of copies) target.copy_(source);
  });
  return { missingKeys, unexpectedKeys };
}
