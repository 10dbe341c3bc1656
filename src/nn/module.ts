/**
 * nn.Module: the base class of every layer and model. A subclass assigns its submodules,
 * Parameters and other state as ordinary fields and writes `forward`; parameters and submodules
 * are found by walking the instance's own enumerable fields in assignment order, so no
 * registration call is needed (PyTorch gets the same effect from `__setattr__`).
 */
import { noGrad } from "../autograd/grad-mode.js";
import { ValueError } from "../errors.js";
import { parseToArgs, type ToOptions } from "../ops/to-args.js";
import type { DeviceLike } from "../tensor/device.js";
import { isFloatingPoint, type DTypeLike } from "../tensor/dtype.js";
import { Tensor } from "../tensor/tensor.js";
import { Parameter } from "./parameter.js";
import {
  callWithHooks,
  hookCount,
  HookSet,
  type ForwardHook,
  type ForwardPreHook,
  type RemovableHandle,
} from "./hooks.js";
import type { FullBackwardHook } from "./backward-hooks.js";
import { formatModule } from "./repr.js";
import { loadStateDictInto, type LoadResult, type StateDictLike } from "./state-dict.js";

/** State every module keeps out of its enumerable fields, so discovery never sees it. */
interface ModuleState {
  training: boolean;
  /** Parameters, buffers and submodules added by name (`registerParameter`, `addModule`, ...). */
  params: Map<string, Parameter | null>;
  buffers: Map<string, Tensor | null>;
  modules: Map<string, Module | null>;
  nonPersistent: Set<string>;
  /** This module's hooks, made on the first registration. */
  hooks: HookSet | null;
}

const STATE = Symbol("moduleState");

/** `module(...args)`: forward directly while no hook exists anywhere, else through the hooks. */
function callModule(module: Module, args: unknown[]): unknown {
  if (hookCount.total === 0) {
    return (module.forward as (...a: unknown[]) => unknown).apply(module, args);
  }
  return callWithHooks(module, module[STATE].hooks, args);
}

/**
 * The call signature of every module: a module is called as its own `forward` is
 * (`model(x)`, `criterion(pred, target)`), typed from the subclass's `forward`. A class cannot
 * declare a call signature, so this interface merges one into class Module; the constructor
 * returns a function object with Module's prototype to make the instance callable at run time.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Module {
  (...args: Parameters<this["forward"]>): ReturnType<this["forward"]>;
}

/**
 * Base class of layers and models (torch.nn.Module). Assign submodules and Parameters as fields,
 * write `forward`, and call the module as PyTorch code does: `model(x)` runs `forward` through
 * the module's hooks (`registerForwardHook`, ...) and is typed from `forward`'s signature.
 *
 * @example
 * class Net extends nn.Module {
 *   fc1 = new nn.Linear(2, 8);
 *   fc2 = new nn.Linear(8, 1);
 *   forward(x: Tensor): Tensor { return this.fc2(this.fc1(x).relu()); }
 * }
 * const y = new Net()(torch.randn([4, 2]));
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export abstract class Module {
  declare private readonly [STATE]: ModuleState;

  constructor() {
    // The instance is a function (so `model(x)` works) whose prototype is the subclass's: field
    // initialisers of subclasses then run on it, as on any `this`. Its own `name` and `length`
    // are deleted so that fields, getters and assignments of those names behave as on objects.
    const self = ((...args: unknown[]) => callModule(self, args)) as unknown as Module;
    delete (self as { name?: string }).name;
    delete (self as { length?: number }).length;
    Object.setPrototypeOf(self, new.target.prototype);
    Object.defineProperty(self, STATE, {
      value: {
        training: true,
        params: new Map(),
        buffers: new Map(),
        modules: new Map(),
        nonPersistent: new Set(),
        hooks: null,
      } satisfies ModuleState,
      enumerable: false,
    });
    return self;
  }

  /** The computation; subclasses define it with their own signature. */
  abstract forward(...args: never[]): unknown;

  /**
   * Alias of calling the module, for code that reads better as `model.call(x)`.
   *
   * @example
   * const y = model.call(x) // what model(x) runs: hooks and forward
   */
  call<This extends Module>(
    this: This,
    ...args: Parameters<This["forward"]>
  ): ReturnType<This["forward"]> {
    return callModule(this, args) as ReturnType<This["forward"]>;
  }

  // ---- hooks -----------------------------------------------------------------------------------

  private ownHooks(): HookSet {
    return (this[STATE].hooks ??= new HookSet());
  }

  /**
   * Registers `hook(module, args)`, run before every call's `forward`; returning an array
   * replaces the arguments, another value (not undefined/null) the single argument
   * (torch.nn.Module.register_forward_pre_hook).
   *
   * @example
   * const handle = model.registerForwardPreHook((m, [x]) => [(x as Tensor).mul(2)]);
   * handle.remove();
   */
  registerForwardPreHook<This extends Module>(
    this: This,
    hook: ForwardPreHook<This>,
    options: { prepend?: boolean } = {},
  ): RemovableHandle {
    return this.ownHooks().add(this.ownHooks().forwardPre, hook as ForwardPreHook, options.prepend);
  }

  /**
   * Registers `hook(module, args, output)`, run after every call's `forward`; a returned value
   * (not undefined/null) replaces the output (torch.nn.Module.register_forward_hook).
   *
   * @example
   * const acts: Tensor[] = [];
   * model.fc1.registerForwardHook((m, args, out) => { acts.push(out as Tensor); });
   */
  registerForwardHook<This extends Module>(
    this: This,
    hook: ForwardHook<This>,
    options: { prepend?: boolean } = {},
  ): RemovableHandle {
    return this.ownHooks().add(this.ownHooks().forward, hook as ForwardHook, options.prepend);
  }

  /**
   * Whether the module is in training mode (Dropout and BatchNorm behave differently).
   *
   * @example
   * model.eval().training // false
   */
  get training(): boolean {
    return this[STATE].training;
  }

  /**
   * Registers `hook(module, gradInput, gradOutput)`, run during backward once the gradients
   * with respect to the module's tensor inputs are computed; returning an array replaces
   * `gradInput` (torch.nn.Module.register_full_backward_hook).
   *
   * @example
   * model.fc1.registerFullBackwardHook((m, gradInput, gradOutput) => {
   *   console.log(gradOutput[0]?.norm().item());
   * });
   */
  registerFullBackwardHook<This extends Module>(
    this: This,
    hook: FullBackwardHook<This>,
    options: { prepend?: boolean } = {},
  ): RemovableHandle {
    const hooks = this.ownHooks();
    return hooks.add(hooks.fullBackward, hook as FullBackwardHook, options.prepend);
  }

  // ---- discovery -------------------------------------------------------------------------------

  /** Own fields then named registrations of one kind, in assignment order. */
  private ownEntries<T>(guard: (v: unknown) => v is T, registered: Map<string, T | null>) {
    const out: [string, T | null][] = [];
    for (const key of Object.keys(this)) {
      const v = (this as Record<string, unknown>)[key];
      if (guard(v)) out.push([key, v]);
    }
    for (const entry of registered) out.push(entry);
    return out;
  }

  /** @internal This module's own parameters (null for an absent one such as `bias=false`). */
  ownParameters(): [string, Parameter | null][] {
    return this.ownEntries((v): v is Parameter => v instanceof Parameter, this[STATE].params);
  }

  /** @internal This module's own buffers, with whether each is persistent. */
  ownBuffers(): [string, Tensor | null, boolean][] {
    const { buffers, nonPersistent } = this[STATE];
    return [...buffers].map(([k, v]) => [k, v, !nonPersistent.has(k)]);
  }

  /**
   * Direct submodules with their names (torch.nn.Module.named_children).
   *
   * @example
   * for (const [name, child] of model.namedChildren()) console.log(name)
   */
  *namedChildren(): Generator<[string, Module]> {
    const seen = new Set<Module>();
    for (const [name, m] of this.ownEntries(
      (v): v is Module => v instanceof Module,
      this[STATE].modules,
    )) {
      if (m === null || seen.has(m)) continue;
      seen.add(m);
      yield [name, m];
    }
  }

  /** @internal Every child slot, including duplicates and nulls, as state_dict walks them. */
  childSlots(): [string, Module | null][] {
    return this.ownEntries((v): v is Module => v instanceof Module, this[STATE].modules);
  }

  /**
   * Direct submodules.
   *
   * @example
   * for (const child of model.children()) console.log(child.constructor.name)
   */
  *children(): Generator<Module> {
    for (const [, m] of this.namedChildren()) yield m;
  }

  /**
   * This module and all below it, each once, with dotted names ("" for this one).
   *
   * @example
   * for (const [name, m] of model.namedModules()) console.log(name)
   */
  *namedModules(prefix = "", memo: Set<Module> = new Set()): Generator<[string, Module]> {
    if (memo.has(this)) return;
    memo.add(this);
    yield [prefix, this];
    for (const [name, child] of this.namedChildren()) {
      yield* child.namedModules(prefix ? `${prefix}.${name}` : name, memo);
    }
  }

  /** This module and all below it, each once. @example const n = [...model.modules()].length */
  *modules(): Generator<Module> {
    for (const [, m] of this.namedModules()) yield m;
  }

  /**
   * Parameters with dotted names (`fc1.weight`, `layers.0.bias`); a parameter shared by two
   * modules is listed once, under its first name.
   *
   * @example
   * for (const [name, p] of model.namedParameters()) console.log(name, p.shape)
   */
  *namedParameters(prefix = "", recurse = true): Generator<[string, Parameter]> {
    const seen = new Set<Tensor>();
    const mods = recurse ? this.namedModules(prefix) : [[prefix, this] as [string, Module]];
    for (const [modName, mod] of mods) {
      for (const [name, p] of mod.ownParameters()) {
        if (p === null || seen.has(p)) continue;
        seen.add(p);
        yield [modName ? `${modName}.${name}` : name, p];
      }
    }
  }

  /** Every parameter once, for an optimizer. @example new optim.SGD(model.parameters(), { lr: 0.1 }) */
  *parameters(recurse = true): Generator<Parameter> {
    for (const [, p] of this.namedParameters("", recurse)) yield p;
  }

  /**
   * Buffers (running statistics, ...) with dotted names.
   *
   * @example
   * for (const [name, b] of model.namedBuffers()) console.log(name, b.shape)
   */
  *namedBuffers(prefix = "", recurse = true): Generator<[string, Tensor]> {
    const seen = new Set<Tensor>();
    const mods = recurse ? this.namedModules(prefix) : [[prefix, this] as [string, Module]];
    for (const [modName, mod] of mods) {
      for (const [name, b] of mod.ownBuffers()) {
        if (b === null || seen.has(b)) continue;
        seen.add(b);
        yield [modName ? `${modName}.${name}` : name, b];
      }
    }
  }

  /** Every buffer once. @example for (const b of model.buffers()) console.log(b.shape) */
  *buffers(recurse = true): Generator<Tensor> {
    for (const [, b] of this.namedBuffers("", recurse)) yield b;
  }

  // ---- registration (optional: assignment does the same for parameters and modules) -----------

  private checkName(name: string, kind: string): void {
    if (name.includes(".")) throw new ValueError(`${kind} name can't contain ".", got: ${name}`);
    if (name === "") throw new ValueError(`${kind} name can't be empty string ""`);
  }

  /** Defines `this[name]` as a non-enumerable view of a registry entry (not a field). */
  private defineSlot<T>(name: string, registry: Map<string, T>): void {
    if (Object.prototype.hasOwnProperty.call(this, name)) {
      const own = Object.getOwnPropertyDescriptor(this, name)!;
      if (own.enumerable) delete (this as Record<string, unknown>)[name];
      else return;
    }
    Object.defineProperty(this, name, {
      get: () => registry.get(name),
      set: (v: T) => registry.set(name, v),
      enumerable: false,
      configurable: true,
    });
  }

  /**
   * Adds a buffer: state that is not a parameter, saved in the state dict when `persistent`
   * (BatchNorm's running_mean). It is readable and assignable as `this[name]`.
   *
   * @example
   * this.registerBuffer("running_mean", torch.zeros([4]));
   */
  registerBuffer(name: string, tensor: Tensor | null, persistent = true): void {
    this.checkName(name, "buffer");
    const { buffers, nonPersistent } = this[STATE];
    this.defineSlot(name, buffers);
    buffers.set(name, tensor);
    if (persistent) nonPersistent.delete(name);
    else nonPersistent.add(name);
  }

  /**
   * Adds a parameter under `name` (assigning a Parameter to a field does the same).
   *
   * @example
   * this.registerParameter("scale", new nn.Parameter(torch.ones([1])))
   */
  registerParameter(name: string, param: Parameter | null): void {
    this.checkName(name, "parameter");
    this.defineSlot(name, this[STATE].params);
    this[STATE].params.set(name, param);
  }

  /**
   * Adds a submodule under `name`, which may be any string ("0", "block-1").
   *
   * @example
   * model.addModule("head", new nn.Linear(8, 2))
   */
  addModule(name: string, module: Module | null): void {
    this.checkName(name, "module");
    this.defineSlot(name, this[STATE].modules);
    this[STATE].modules.set(name, module);
  }

  /**
   * Alias of `addModule` (torch.nn.Module.register_module).
   *
   * @example
   * model.registerModule("encoder", new nn.Linear(4, 8))
   */
  registerModule(name: string, module: Module | null): void {
    this.addModule(name, module);
  }

  /** @internal Replaces a buffer's tensor (used by `to`). */
  protected setBuffer(name: string, tensor: Tensor | null): void {
    this[STATE].buffers.set(name, tensor);
  }

  // ---- modes and bulk operations -----------------------------------------------------------------

  /**
   * Sets training mode on this module and every submodule; returns this.
   *
   * @example
   * model.train(); trainOneEpoch(); model.eval()
   */
  train(mode = true): this {
    for (const m of this.modules()) m[STATE].training = mode;
    return this;
  }

  /** Evaluation mode: `train(false)`. @example model.eval(); */
  eval(): this {
    return this.train(false);
  }

  /**
   * Calls `fn` on every submodule (children first) and then this one; returns this.
   *
   * @example
   * model.apply((m) => { if (m instanceof nn.Linear) nn.init.zeros_(m.bias!); })
   */
  apply(fn: (module: Module) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  /**
   * Clears every parameter's gradient (to null by default, as PyTorch 2 does).
   *
   * @example
   * model.zeroGrad()
   */
  zeroGrad(options: { setToNone?: boolean } = {}): void {
    const setToNone = options.setToNone ?? true;
    for (const p of this.parameters()) {
      if (p.grad === null) continue;
      if (setToNone) p.grad = null;
      else p.grad = noGrad(() => p.grad!.detach().mul(0));
    }
  }

  /**
   * Sets requiresGrad on every parameter (freeze with `requiresGrad_(false)`); returns this.
   *
   * @example
   * model.requiresGrad_(false) // freeze
   */
  requiresGrad_(requiresGrad = true): this {
    for (const p of this.parameters()) p.requiresGrad_(requiresGrad);
    return this;
  }

  /**
   * Moves parameters and buffers to a device and/or converts the floating-point ones to `dtype`
   * in place, with PyTorch's overloads: `to(dtype)`, `to(device, dtype?)`, `to(tensor)`,
   * `to({ device, dtype })`. Parameters keep their identity (an optimizer built before still
   * holds them), as PyTorch's `module.to` does. A device that does not exist ("cuda") throws.
   *
   * @example
   * model.to("float64");
   * model.to(torch.device("cpu"));
   */
  to(dtype: DTypeLike): this;
  to(device: DeviceLike, dtype?: DTypeLike, options?: ToOptions): this;
  to(other: Tensor): this;
  to(options: { device?: DeviceLike; dtype?: DTypeLike }): this;
  to(
    a: DTypeLike | DeviceLike | Tensor | { device?: DeviceLike; dtype?: DTypeLike },
    b?: DTypeLike | ToOptions,
    c?: ToOptions,
  ): this {
    // The device is checked by parseToArgs; CPU is the only one, so nothing moves yet (a second
    // device moves each parameter's storage here, as the dtype conversion below does).
    const target = parseToArgs(a, b, c).dtype;
    if (target === null) return this;
    if (!isFloatingPoint(target)) {
      throw new ValueError(
        `nn.Module.to only accepts floating point dtypes, but got desired dtype=${target}`,
      );
    }
    noGrad(() => {
      for (const m of this.modules()) {
        for (const [, p] of m.ownParameters()) {
          if (p === null || !isFloatingPoint(p.dtype) || p.dtype === target) continue;
          p.setData_(p.to(target));
          if (p.grad !== null) p.grad = p.grad.to(target);
        }
        for (const [name, b] of m.ownBuffers()) {
          if (b !== null && isFloatingPoint(b.dtype)) m.setBuffer(name, b.to(target));
        }
      }
    });
    return this;
  }

  /** `to("float64")`. @example model.double() // parameters and buffers to float64 */
  double(): this {
    return this.to("float64");
  }

  /** `to("float32")`. @example model.float() // parameters and buffers to float32 */
  float(): this {
    return this.to("float32");
  }

  // ---- state dict and printing ---------------------------------------------------------------------

  /**
   * Every parameter, then every persistent buffer, of this module and then of each submodule
   * in order, under PyTorch's keys; the values are detached tensors sharing storage.
   *
   * @example
   * Object.keys(model.stateDict()); // ["fc1.weight", "fc1.bias", ...]
   */
  stateDict(prefix = ""): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    const walk = (m: Module, pre: string): void => {
      for (const [name, p] of m.ownParameters()) if (p !== null) out[pre + name] = p.detach();
      for (const [name, b, persistent] of m.ownBuffers()) {
        if (b !== null && persistent) out[pre + name] = b.detach();
      }
      for (const [name, child] of m.childSlots()) if (child !== null) walk(child, `${pre}${name}.`);
    };
    walk(this, prefix);
    return out;
  }

  /**
   * Copies a state dict's tensors into this module's parameters and buffers. Every problem
   * (missing keys, unexpected keys, size mismatches) is reported in one error, and nothing is
   * changed when it throws. With `strict: false` missing and unexpected keys are only returned.
   *
   * @example
   * const { missingKeys, unexpectedKeys } = model.loadStateDict(sd, { strict: false });
   */
  loadStateDict(stateDict: StateDictLike, options: { strict?: boolean } = {}): LoadResult {
    return loadStateDictInto(this, stateDict, options.strict ?? true);
  }

  /**
   * One line of this layer's settings inside its printed form, e.g. `in_features=2, ...`.
   *
   * @example
   * override extraRepr() { return `size=${this.size}`; }
   */
  extraRepr(): string {
    return "";
  }

  /** PyTorch's printed module tree. @example console.log(`${model}`) // PyTorch's module repr */
  toString(): string {
    return formatModule(this);
  }

  /** `console.log(model)` in Node prints the module tree (util.inspect looks up this symbol). */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return formatModule(this);
  }
}
