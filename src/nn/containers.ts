/** Containers of modules: Sequential, ModuleList and ModuleDict. */
import { IndexError, ValueError } from "../errors.js";
import type { Tensor } from "../tensor/tensor.js";
import { Module } from "./module.js";

/** Wraps a possibly negative index into [0, n) with PyTorch's IndexError. */
function checkIndex(i: number, n: number): number {
  const k = i < 0 ? i + n : i;
  if (!Number.isInteger(i) || k < 0 || k >= n) throw new IndexError(`index ${i} is out of range`);
  return k;
}

/** Calls a module (through its hooks, as PyTorch's Sequential does) without knowing its signature. */
function callModule(m: Module, x: unknown): unknown {
  return (m as unknown as (x: unknown) => unknown)(x);
}

/** The children under names "0", "1", ... in order. */
abstract class IndexedModules<M extends Module = Module> extends Module {
  protected items(): M[] {
    return this.childSlots().map(([, m]) => m as M);
  }

  /** The number of modules. */
  override get length(): number {
    return this.childSlots().length;
  }

  /** The module at `index` (negative counts from the end). */
  get(index: number): M {
    const items = this.items();
    return items[checkIndex(index, items.length)]!;
  }

  [Symbol.iterator](): Iterator<M> {
    return this.items()[Symbol.iterator]();
  }

  /** Adds a module at the end; returns this. */
  append(module: M): this {
    this.addModule(String(this.length), module);
    return this;
  }
}

/**
 * Modules applied one after another (torch.nn.Sequential), from a list of layers or from an
 * object of named layers (PyTorch's OrderedDict form).
 *
 * @example
 * const model = new nn.Sequential(new nn.Linear(2, 8), new nn.ReLU(), new nn.Linear(8, 1));
 * const named = new nn.Sequential({ fc: new nn.Linear(2, 1), act: new nn.Sigmoid() });
 */
export class Sequential extends IndexedModules {
  constructor(...modules: Module[] | [Readonly<Record<string, Module>>]) {
    super();
    const first = modules[0];
    if (modules.length === 1 && !(first instanceof Module)) {
      for (const [name, m] of Object.entries(first as Record<string, Module>)) {
        this.addModule(name, m);
      }
    } else {
      (modules as Module[]).forEach((m, i) => this.addModule(String(i), m));
    }
  }

  forward(x: Tensor): Tensor;
  forward(x: unknown): unknown {
    let out = x;
    const items = this.items();
    for (let i = 0; i < items.length; i++) out = callModule(items[i]!, out);
    return out;
  }
}

/**
 * A list of modules whose parameters the parent module finds (torch.nn.ModuleList); a plain
 * array field is not searched, as in PyTorch. The element type is inferred, so the members
 * stay callable with their own signatures.
 *
 * @example
 * this.layers = new nn.ModuleList([new nn.Linear(4, 4), new nn.Linear(4, 4)]);
 * for (const layer of this.layers) x = layer(x); // layer: nn.Linear
 */
export class ModuleList<M extends Module = Module> extends IndexedModules<M> {
  constructor(modules: Iterable<M> = []) {
    super();
    for (const m of modules) this.append(m);
  }

  /** Appends every module of `modules`; returns this. */
  extend(modules: Iterable<M>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  forward(): never {
    throw new ValueError("ModuleList has no forward: iterate over it and call each module");
  }
}

/**
 * Modules by name (torch.nn.ModuleDict), in insertion order.
 *
 * @example
 * const heads = new nn.ModuleDict({ cls: new nn.Linear(8, 3), reg: new nn.Linear(8, 1) });
 * heads.get("cls");
 */
export class ModuleDict extends Module {
  constructor(modules: Readonly<Record<string, Module>> | Iterable<[string, Module]> = {}) {
    super();
    const entries =
      Symbol.iterator in modules
        ? [...(modules as Iterable<[string, Module]>)]
        : Object.entries(modules as Record<string, Module>);
    for (const [name, m] of entries) this.set(name, m);
  }

  /** The module under `key`. */
  get(key: string): Module {
    const found = this.childSlots().find(([k]) => k === key);
    if (!found) throw new IndexError(`ModuleDict has no key '${key}'`);
    return found[1]!;
  }

  /** Adds or replaces the module under `key`. */
  set(key: string, module: Module): this {
    this.addModule(key, module);
    return this;
  }

  has(key: string): boolean {
    return this.childSlots().some(([k]) => k === key);
  }

  keys(): string[] {
    return this.childSlots().map(([k]) => k);
  }

  values(): Module[] {
    return this.childSlots().map(([, m]) => m!);
  }

  entries(): [string, Module][] {
    return this.childSlots().map(([k, m]) => [k, m!]);
  }

  get size(): number {
    return this.childSlots().length;
  }

  forward(): never {
    throw new ValueError("ModuleDict has no forward: look up a module and call it");
  }
}
