import { ArgumentTypeError } from "../../errors.js";
import { checkIterable } from "../../validation/arguments.js";
/** Transforms are plain functions; Compose chains them, Lambda names one (torchvision's API). */

/** A transform: a function from a sample to a new one (torchvision's callable transforms). */
export type Transform<I, O> = (input: I) => O;

/**
 * Applies transforms in order (torchvision.transforms.Compose). Like every transform here it is
 * called without `new` and returns a function.
 *
 * @example
 * const t = transforms.Compose([transforms.ToTensor(), transforms.Normalize([0.5], [0.5])]);
 * const x = t(image);
 */
export function Compose<A, B>(steps: readonly [Transform<A, B>]): Transform<A, B>;
export function Compose<A, B, C>(
  steps: readonly [Transform<A, B>, Transform<B, C>],
): Transform<A, C>;
export function Compose<A, B, C, D>(
  steps: readonly [Transform<A, B>, Transform<B, C>, Transform<C, D>],
): Transform<A, D>;
export function Compose<A, B, C, D, E>(
  steps: readonly [Transform<A, B>, Transform<B, C>, Transform<C, D>, Transform<D, E>],
): Transform<A, E>;
/** Longer chains are not type-checked step by step: give the input and output types. */
export function Compose<I, O>(steps: readonly Transform<never, unknown>[]): Transform<I, O>;
export function Compose(steps: readonly Transform<never, unknown>[]): Transform<unknown, unknown> {
  checkIterable("Compose", "transforms", steps);
  const chain = [...steps] as Transform<unknown, unknown>[];
  return (input: unknown) => chain.reduce((x, step) => step(x), input);
}

/**
 * A user function as a transform (torchvision.transforms.Lambda). Any function already is one;
 * this exists so that code ported from torchvision reads the same.
 *
 * @example
 * transforms.Lambda((x: Tensor) => x.mul(2));
 */
export function Lambda<I, O>(fn: Transform<I, O>): Transform<I, O> {
  if (typeof fn !== "function")
    throw new ArgumentTypeError(`Argument lambd should be callable, got ${typeof fn}`);
  return fn;
}
