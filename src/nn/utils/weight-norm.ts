/**
 * nn.utils.weightNorm / removeWeightNorm, PyTorch 1.13's hook-based form
 * (torch.nn.utils.weight_norm): the parameter `name` is replaced by `name_g` (its norm over every
 * dim but `dim`) and `name_v` (its direction), and a forward pre-hook recomputes
 * `name = name_v * (name_g / ||name_v||)` before every call of the module.
 */
import { pyTypeName } from "../../validation/arguments.js";
import { ArgumentTypeError } from "../../errors.js";
import { ValueError } from "../../errors.js";
import { normalizeDim } from "../../tensor/shape.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { RemovableHandle } from "../hooks.js";
import { Module } from "../module.js";
import { Parameter } from "../parameter.js";

interface Applied {
  readonly dim: number;
  readonly handle: RemovableHandle;
}

const applied = new WeakMap<Module, Map<string, Applied>>();

/** torch.norm_except_dim(v, 2, dim): dim -1 is the whole tensor's norm (a 0-d tensor). */
function normExceptDim(v: Tensor, dim: number): Tensor {
  if (dim === -1) return v.mul(v).sum().sqrt();
  const d = normalizeDim(dim, v.ndim);
  const others = v.shape.map((_, k) => k).filter((k) => k !== d);
  return others.length === 0 ? v.abs() : v.mul(v).sum(others, true).sqrt();
}

type Slots = Record<string, unknown>;

function computeWeight(module: Module, name: string, dim: number): Tensor {
  const slots = module as unknown as Slots;
  const g = slots[`${name}_g`] as Tensor;
  const v = slots[`${name}_v`] as Tensor;
  return v.mul(g.div(normExceptDim(v, dim)));
}

/** Drops `name` as a parameter of `module`, leaving a plain, non-enumerable slot. */
function setPlain(module: Module, name: string, value: Tensor | undefined): void {
  const slots = module as unknown as Slots;
  const desc = Object.getOwnPropertyDescriptor(module, name);
  if (desc?.get) module.registerParameter(name, null); // a registered slot: empty it first
  delete slots[name];
  if (value !== undefined) {
    Object.defineProperty(module, name, {
      value,
      writable: true,
      enumerable: false,
      configurable: true,
    });
  }
}

/**
 * Reparametrises `module[name]` as `name_g * name_v / ||name_v||` (torch.nn.utils.weight_norm):
 * the norm is over every dim except `dim` (0 by default, the output channels; null for the
 * whole tensor). The state dict then holds `name_g` and `name_v`; the weight is recomputed by a
 * forward pre-hook before each call, so call the module (`m(x)`) rather than `m.forward(x)`.
 *
 * @example
 * const lin = nn.utils.weightNorm(new nn.Linear(20, 40));
 * Object.keys(lin.stateDict()); // ["bias", "weight_g", "weight_v"]
 */
export function weightNorm<M extends Module>(
  module: M,
  name = "weight",
  dim: number | null = 0,
): M {
  if (!(module instanceof Module)) {
    throw new ArgumentTypeError(
      `weight_norm(): argument 'module' must be a Module, not ${pyTypeName(module)}`,
    );
  }
  const own = applied.get(module) ?? new Map<string, Applied>();
  if (own.has(name)) {
    // PyTorch raises RuntimeError; torchlet has no such class, ValueError carries its text.
    throw new ValueError(`Cannot register two weight_norm hooks on the same parameter ${name}`);
  }
  const slots = module as unknown as Slots;
  const weight = slots[name];
  if (!(weight instanceof Parameter)) {
    throw new ValueError(`'${module.constructor.name}' object has no attribute '${name}'`);
  }
  const d = dim ?? -1;
  const data = weight.detach();
  setPlain(module, name, undefined);
  module.registerParameter(`${name}_g`, new Parameter(normExceptDim(data, d).detach()));
  module.registerParameter(`${name}_v`, new Parameter(data));
  setPlain(module, name, computeWeight(module, name, d));
  const handle = module.registerForwardPreHook((m) => {
    (m as unknown as Slots)[name] = computeWeight(m, name, d);
  });
  own.set(name, { dim: d, handle });
  applied.set(module, own);
  return module;
}

/**
 * Undoes `weightNorm` (torch.nn.utils.remove_weight_norm): `name` becomes a parameter again,
 * holding the current `name_g * name_v / ||name_v||`, and the hook is removed.
 *
 * @example
 * nn.utils.removeWeightNorm(lin);
 */
export function removeWeightNorm<M extends Module>(module: M, name = "weight"): M {
  const entry = applied.get(module)?.get(name);
  if (entry === undefined) {
    throw new ValueError(`weight_norm of '${name}' not found in ${String(module)}`);
  }
  const weight = computeWeight(module, name, entry.dim).detach();
  entry.handle.remove();
  applied.get(module)!.delete(name);
  setPlain(module, name, undefined);
  for (const suffix of ["_g", "_v"]) {
    module.registerParameter(`${name}${suffix}`, null);
    delete (module as unknown as Slots)[`${name}${suffix}`];
  }
  module.registerParameter(name, new Parameter(weight));
  return module;
}
