import { ArgumentTypeError } from "../errors.js";
/**
 * Module hooks (torch.nn.Module's `_call_impl`): forward pre-hooks and forward hooks per module
 * and global, each registration returning a handle whose `remove()` takes it out again. The
 * module call checks one counter and one field before taking the hook path, so a module without
 * hooks costs one spread call over `forward`.
 */
import { isGradEnabled } from "../autograd/grad-mode.js";
import { BackwardHookCall, type FullBackwardHook } from "./backward-hooks.js";
import type { Module } from "./module.js";

/** Runs before `forward`; returning an array replaces the arguments, any other value the only one. */
export type ForwardPreHook<M extends Module = Module> = (module: M, args: unknown[]) => unknown;

/** Runs after `forward`; a returned value other than undefined replaces the output. */
export type ForwardHook<M extends Module = Module> = (
  module: M,
  args: unknown[],
  output: unknown,
) => unknown;

/**
 * Removes the hook it was returned for (torch.utils.hooks.RemovableHandle).
 *
 * @example
 * const handle = model.registerForwardHook((m, args, out) => console.log(out));
 * handle.remove();
 */
export class RemovableHandle {
  private static nextId = 0;
  /** The handle's id, as PyTorch's `handle.id`. */
  readonly id = RemovableHandle.nextId++;

  constructor(private readonly registry: Map<number, unknown>) {}

  /** Takes the hook out; removing twice is harmless. */
  remove(): void {
    if (this.registry.delete(this.id)) hookCount.total--;
  }
}

/** How many hooks are registered anywhere: zero lets every module call skip the hook path. */
export const hookCount = { total: 0 };

/** Hook registries of one module, or the global ones; maps keep registration order. */
export class HookSet {
  readonly forwardPre = new Map<number, ForwardPreHook>();
  readonly forward = new Map<number, ForwardHook>();
  readonly fullBackward = new Map<number, FullBackwardHook>();

  add<H>(registry: Map<number, H>, hook: H, prepend = false): RemovableHandle {
    if (typeof hook !== "function") {
      throw new ArgumentTypeError(`hook must be a function, but got ${typeof hook}`);
    }
    const handle = new RemovableHandle(registry as Map<number, unknown>);
    if (prepend) {
      const rest = [...registry];
      registry.clear();
      registry.set(handle.id, hook);
      for (const [k, v] of rest) registry.set(k, v);
    } else {
      registry.set(handle.id, hook);
    }
    hookCount.total++;
    return handle;
  }

  get size(): number {
    return this.forwardPre.size + this.forward.size + this.fullBackward.size;
  }
}

/** The hooks every module call runs (nn.modules.module.register_module_forward_hook, ...). */
export const globalHooks = new HookSet();

/**
 * Registers a forward pre-hook for every module (torch.nn.modules.module.
 * register_module_forward_pre_hook).
 *
 * @example
 * const h = nn.registerModuleForwardPreHook((m, args) => console.log(m.constructor.name));
 * h.remove();
 */
export function registerModuleForwardPreHook(hook: ForwardPreHook): RemovableHandle {
  return globalHooks.add(globalHooks.forwardPre, hook);
}

/**
 * Registers a forward hook for every module (torch.nn.modules.module.register_module_forward_hook).
 *
 * @example
 * const h = nn.registerModuleForwardHook((m, args, out) => undefined);
 * h.remove();
 */
export function registerModuleForwardHook(hook: ForwardHook): RemovableHandle {
  return globalHooks.add(globalHooks.forward, hook);
}

/**
 * Registers a full backward hook for every module (torch.nn.modules.module.
 * register_module_full_backward_hook).
 *
 * @example
 * const h = nn.registerModuleFullBackwardHook((m, gradInput, gradOutput) => undefined);
 * h.remove();
 */
export function registerModuleFullBackwardHook(hook: FullBackwardHook): RemovableHandle {
  return globalHooks.add(globalHooks.fullBackward, hook);
}

/** Runs `forward` between the pre-hooks and hooks of `hooks` (the module's) and the global ones. */
export function callWithHooks(module: Module, own: HookSet | null, args: unknown[]): unknown {
  for (const set of [globalHooks, own]) {
    if (set === null) continue;
    for (const hook of [...set.forwardPre.values()]) {
      const result = hook(module, args);
      if (result !== undefined && result !== null) args = Array.isArray(result) ? result : [result];
    }
  }
  const backwardHooks = [
    ...globalHooks.fullBackward.values(),
    ...(own?.fullBackward.values() ?? []),
  ];
  const backward =
    backwardHooks.length > 0 && isGradEnabled()
      ? new BackwardHookCall(module, backwardHooks)
      : null;
  if (backward !== null) args = backward.setupInputs(args);
  let output = (module.forward as (...a: unknown[]) => unknown).apply(module, args);
  for (const set of [globalHooks, own]) {
    if (set === null) continue;
    for (const hook of [...set.forward.values()]) {
      const result = hook(module, args, output);
      if (result !== undefined && result !== null) output = result;
    }
  }
  return backward === null ? output : backward.setupOutput(output);
}
