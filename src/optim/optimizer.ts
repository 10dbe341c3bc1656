/**
 * The optimizer base class (torch.optim.Optimizer): parameter groups with their own options,
 * per-parameter state, zeroGrad, step(closure) and a state dict in PyTorch's structure.
 *
 * Naming: the TypeScript API is camelCase (`group.weightDecay`), while `stateDict()` writes
 * PyTorch's snake_case keys (`weight_decay`, `initial_lr`, `momentum_buffer`, `exp_avg`, ...) so
 * that a state dict reads like, and can be converted to and from, PyTorch's.
 */
import { enableGrad, noGrad } from "../autograd/grad-mode.js";
import { ArgumentTypeError, ValueError } from "../errors.js";
import { checkIterable, isKeywords, pyTypeName } from "../validation/arguments.js";
import { isFloatingPoint } from "../tensor/dtype.js";
import { Tensor } from "../tensor/tensor.js";
import "../ops/index.js";
import type { OptionKind } from "../validation/options.js";

/** The kind of every option of an optimizer, for checking options objects at run time. */
export type OptionKinds<O> = { readonly [K in keyof O]-?: OptionKind };

/** The options every optimizer has: at least a learning rate. */
export interface BaseOptions {
  lr: number;
}

/** One parameter group: its tensors and its own copy of every option (plus schedulers' keys). */
export type ParamGroup<O extends BaseOptions = BaseOptions> = O & {
  params: Tensor[];
  /** Keys added by lr schedulers (initialLr, maxLr, ...) live here too. */
  [key: string]: unknown;
};

/** A parameter group as the user passes it: options left out take the optimizer's defaults. */
export type ParamGroupInput<O extends BaseOptions = BaseOptions> = Partial<O> & {
  params: Iterable<Tensor>;
  [key: string]: unknown;
};

/** What an optimizer takes: tensors, or parameter groups. */
export type Params<O extends BaseOptions = BaseOptions> =
  Iterable<Tensor> | Iterable<ParamGroupInput<O>>;

/** One entry of a parameter's state: a tensor, a number, or (LBFGS's history) a list of them. */
export type StateValue = Tensor | number | null | (Tensor | number | null)[];

/** Per-parameter state under PyTorch's key names (`momentum_buffer`, `exp_avg`, `step`, ...). */
export type ParamState = Record<string, StateValue>;

/** PyTorch's optimizer state dict: state by parameter index, groups with `params` as indices. */
export interface OptimizerStateDict {
  state: Record<number, ParamState>;
  param_groups: (Record<string, unknown> & { params: number[] })[];
}

/** `weightDecay` -> `weight_decay`. */
export function toSnakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** `weight_decay` -> `weightDecay`. */
export function toCamelCase(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * A number as Python's `str(float)` writes it in PyTorch's messages: 1.0, 1e-08, inf (options
 * are floats in PyTorch, so integers get ".0").
 */
export function formatPyNumber(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
  const a = Math.abs(v);
  if (Number.isInteger(v) && a < 1e16) return v.toFixed(1);
  // Python's repr goes to exponent notation below 1e-4 and from 1e16 (JS: 1e-7 and 1e21).
  const text = a !== 0 && (a < 1e-4 || a >= 1e16) ? v.toExponential() : String(v);
  return text.replace(/e([+-])(\d)$/, "e$10$2");
}

/** @internal Throws PyTorch's "Invalid <what>: <value>" unless `ok`. */
export function check(ok: boolean, what: string, value: number): void {
  if (!ok) throw new ValueError(`Invalid ${what}: ${formatPyNumber(value)}`);
}

function cloneValue(v: Tensor | number | null, k: string, cast?: Tensor): Tensor | number | null {
  if (!(v instanceof Tensor)) return v;
  // As PyTorch's load_state_dict: floating state follows the parameter's dtype.
  const c = cast && k !== "step" && isFloatingPoint(v.dtype) ? v.to(cast.dtype) : v;
  return noGrad(() => c.detach().clone());
}

function cloneState(state: ParamState, cast?: Tensor): ParamState {
  const out: ParamState = {};
  for (const [k, v] of Object.entries(state)) {
    if (Array.isArray(v)) {
      out[k] = v.map((x) => cloneValue(x, k, cast));
      continue;
    }
    // PyTorch (1.12+) keeps Adam's, AdamW's, ... step count as a 0-d float tensor; torchlet
    // keeps a number, so a state dict PyTorch wrote loads as it is.
    if (cast && k === "step" && v instanceof Tensor && v.numel() === 1) out[k] = v.item();
    else out[k] = cloneValue(v, k, cast);
  }
  return out;
}

/**
 * Base class of all optimizers. Subclasses implement `update(group)`, which runs under noGrad.
 *
 * @example
 * const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * opt.zeroGrad(); loss.backward(); opt.step();
 */
export abstract class Optimizer<O extends BaseOptions = BaseOptions> {
  /** The parameter groups, each with its own options (defaults filled in). */
  paramGroups: ParamGroup<O>[] = [];
  /** Per-parameter state (momentum buffers, step counts, moment estimates). */
  state = new Map<Tensor, ParamState>();
  /** The options given to the constructor, with every default filled in. */
  readonly defaults: O;

  constructor(params: Params<O>, defaults: O) {
    this.defaults = defaults;
    if (params instanceof Tensor) {
      throw new ValueError(
        "params argument given to the optimizer should be an iterable of Tensors or dicts, but got Tensor",
      );
    }
    if (
      params === null ||
      typeof params !== "object" ||
      typeof (params as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== "function"
    ) {
      throw new ArgumentTypeError(
        `params argument given to the optimizer should be an iterable of Tensors or dicts, but got ${pyTypeName(params)}`,
      );
    }
    const list = [...params] as (Tensor | ParamGroupInput<O>)[];
    if (list.length === 0) throw new ValueError("optimizer got an empty parameter list");
    const groups: ParamGroupInput<O>[] =
      list[0] instanceof Tensor
        ? [{ params: list as Tensor[] } as unknown as ParamGroupInput<O>]
        : (list as ParamGroupInput<O>[]);
    for (const g of groups) this.addParamGroup(g);
  }

  /**
   * Adds a group of parameters with its own options (the rest from the defaults), e.g. to train
   * layers unfrozen later.
   *
   * @example
   * opt.addParamGroup({ params: head.parameters(), lr: 0.01 });
   */
  addParamGroup(group: ParamGroupInput<O>): void {
    if (!isKeywords(group)) {
      throw new ArgumentTypeError(
        `add_param_group(): param group must be a dict of params and options, not ${pyTypeName(group)}`,
      );
    }
    const src = group.params as Iterable<Tensor> | Tensor;
    if (!(src instanceof Tensor)) checkIterable("add_param_group", "params", src);
    const params = src instanceof Tensor ? [src] : [...src];
    for (const p of params) {
      if (!(p instanceof Tensor)) {
        throw new ValueError(
          `optimizer can only optimize Tensors, but one of the params is ${typeof p}`,
        );
      }
      // Tensors that do not require grad are accepted, as in PyTorch: they never get a grad,
      // so step() skips them (frozen layers).
      if (!(p.isLeaf || p.retainsGrad)) throw new ValueError("can't optimize a non-leaf Tensor");
    }
    const seen = new Set<Tensor>();
    for (const g of this.paramGroups) for (const p of g.params) seen.add(p);
    if (params.some((p) => seen.has(p))) {
      throw new ValueError("some parameters appear in more than one parameter group");
    }
    const filled = { ...this.defaults } as Record<string, unknown>;
    for (const [k, v] of Object.entries(group)) if (v !== undefined) filled[k] = v;
    filled.params = params;
    this.paramGroups.push(filled as ParamGroup<O>);
  }

  /**
   * Clears every parameter's gradient: to null by default (PyTorch 2's default), or to zeros in
   * place with `setToNone: false`.
   */
  zeroGrad(options: { setToNone?: boolean } = {}): void {
    const setToNone = options.setToNone ?? true;
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (p.grad === null) continue;
        if (setToNone) {
          p.grad = null;
          continue;
        }
        const g = p.grad.isLeaf ? p.grad.requiresGrad_(false) : p.grad.detach();
        noGrad(() => g.zero_());
        p.grad = g;
      }
    }
  }

  /**
   * Performs one update. `closure` re-evaluates the model (zeroGrad, forward, backward) and
   * returns the loss; it runs with grad recording on and its loss is returned.
   *
   * @example
   * const loss = opt.step(() => { opt.zeroGrad(); const l = lossFn(); l.backward(); return l; });
   */
  step<L = Tensor>(closure?: () => L): L | undefined {
    const loss = closure ? enableGrad(closure) : undefined;
    noGrad(() => {
      for (const group of this.paramGroups) this.update(group);
    });
    return loss;
  }

  /** Updates the parameters of one group (they have a grad or are skipped). Runs under noGrad. */
  protected abstract update(group: ParamGroup<O>): void;

  /** @internal The state of `p`, created empty on first use. */
  stateOf(p: Tensor): ParamState {
    let s = this.state.get(p);
    if (s === undefined) {
      s = {};
      this.state.set(p, s);
    }
    return s;
  }

  /**
   * A snapshot of the optimizer in PyTorch's structure: `{ state: { 0: {...} }, param_groups:
   * [{ lr, ..., params: [0, 1] }] }` with snake_case keys. Tensors are cloned (PyTorch returns
   * references, but without torch.save a live reference would change under the caller).
   */
  stateDict(): OptimizerStateDict {
    const index = new Map<Tensor, number>();
    const paramGroups = this.paramGroups.map((group) => {
      const packed: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(group)) {
        if (k !== "params") packed[toSnakeCase(k)] = Array.isArray(v) ? [...v] : v;
      }
      packed.params = group.params.map((p) => {
        if (!index.has(p)) index.set(p, index.size);
        return index.get(p)!;
      });
      return packed as Record<string, unknown> & { params: number[] };
    });
    const state: Record<number, ParamState> = {};
    for (const [p, s] of this.state) {
      const i = index.get(p);
      if (i !== undefined) state[i] = cloneState(s);
    }
    return { state, param_groups: paramGroups };
  }

  /**
   * Restores a state dict from `stateDict()` (or PyTorch's, keys converted): group options and
   * per-parameter state, matched by position. Validates first and changes nothing on error.
   */
  loadStateDict(sd: OptimizerStateDict): void {
    const saved = sd.param_groups;
    if (saved.length !== this.paramGroups.length) {
      throw new ValueError("loaded state dict has a different number of parameter groups");
    }
    if (saved.some((g, i) => g.params.length !== this.paramGroups[i]!.params.length)) {
      throw new ValueError(
        "loaded state dict contains a parameter group that doesn't match the size of optimizer's group",
      );
    }
    const byId = new Map<number, Tensor>();
    saved.forEach((g, gi) =>
      g.params.forEach((id, pi) => byId.set(id, this.paramGroups[gi]!.params[pi]!)),
    );
    const state = new Map<Tensor, ParamState>();
    for (const [id, s] of Object.entries(sd.state)) {
      const p = byId.get(Number(id));
      if (p !== undefined) state.set(p, cloneState(s, p));
    }
    const groups = saved.map((g, gi) => {
      const group: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(g)) {
        if (k !== "params") group[toCamelCase(k)] = Array.isArray(v) ? [...v] : v;
      }
      group.params = this.paramGroups[gi]!.params;
      return group as ParamGroup<O>;
    });
    this.state = state;
    this.paramGroups = groups;
  }
}

/** @internal A 0-d state entry PyTorch keeps as a tensor, read as a number. */
export function scalarState(v: StateValue | undefined, fallback: number): number {
  if (v instanceof Tensor) return v.item();
  return typeof v === "number" ? v : fallback;
}

/** @internal The gradient as the update sees it: negated for `maximize`. */
export function gradOf(p: Tensor, maximize: boolean): Tensor | null {
  if (p.grad === null) return null;
  return maximize ? p.grad.neg() : p.grad;
}

/**
 * @internal `optimizer` as an Optimizer, or PyTorch's "TypeError: str is not an Optimizer" (the
 * schedulers' first argument).
 */
export function checkOptimizer(optimizer: unknown): void {
  if (!(optimizer instanceof Optimizer)) {
    throw new ArgumentTypeError(`${pyTypeName(optimizer)} is not an Optimizer`);
  }
}

/** @internal A scheduler's (optimizer, options) arguments: an Optimizer and an options object. */
export function checkSchedulerArgs(fn: string, optimizer: unknown, options: unknown): void {
  checkOptimizer(optimizer);
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new ArgumentTypeError(
      `${fn}(): the options must be an object of named arguments, not ${pyTypeName(options)}`,
    );
  }
}
