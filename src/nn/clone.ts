/** A deep copy of a module, as Python's copy.deepcopy does for torch.nn.Module. */
import { noGrad } from "../autograd/grad-mode.js";
import { Tensor } from "../tensor/tensor.js";
import { Module } from "./module.js";
import { Parameter } from "./parameter.js";

type Memo = Map<unknown, unknown>;

function copyValue(v: unknown, memo: Memo): unknown {
  if (memo.has(v)) return memo.get(v);
  if (v instanceof Module) return copyModule(v, memo);
  if (v instanceof Parameter) {
    const p = new Parameter(v.detach().clone(), v.requiresGrad);
    memo.set(v, p);
    return p;
  }
  if (v instanceof Tensor) {
    const t = v.detach().clone();
    memo.set(v, t);
    return t;
  }
  if (Array.isArray(v)) {
    const a: unknown[] = [];
    memo.set(v, a);
    for (const x of v) a.push(copyValue(x, memo));
    return a;
  }
  // Numbers, strings, functions (an activation) and other objects are shared, not copied.
  return v;
}

function copyModule(m: Module, memo: Memo): Module {
  // Runs only Module's constructor (fresh registries) under the subclass's prototype, so no
  // subclass constructor draws random numbers: a copy costs no generator state, as in PyTorch.
  const copy = Reflect.construct(Module, [], m.constructor) as Module;
  memo.set(m, copy);
  copy.train(m.training);
  const fields = copy as unknown as Record<string, unknown>;
  const own = new Set(Object.keys(m));
  for (const key of own)
    fields[key] = copyValue((m as unknown as Record<string, unknown>)[key], memo);
  for (const [name, p] of m.ownParameters()) {
    if (!own.has(name)) copy.registerParameter(name, copyValue(p, memo) as Parameter | null);
  }
  for (const [name, b, persistent] of m.ownBuffers()) {
    copy.registerBuffer(name, copyValue(b, memo) as Tensor | null, persistent);
  }
  for (const [name, child] of m.childSlots()) {
    if (!own.has(name)) copy.addModule(name, copyValue(child, memo) as Module | null);
  }
  return copy;
}

/**
 * An independent copy of `module`: its own parameters and buffers with equal values, the same
 * training mode, parameters shared inside it still shared (copy.deepcopy's semantics).
 *
 * @example
 * const layers = Array.from({ length: 3 }, () => nn.deepcopy(layer));
 */
export function deepcopy<M extends Module>(module: M): M {
  return noGrad(() => copyModule(module, new Map())) as M;
}
