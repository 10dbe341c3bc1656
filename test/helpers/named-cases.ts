import type { Tensor } from "../../src/index.js";
import { runOpCases, type OpCase } from "./op-cases.js";

/** An op case's function that also sees the case's name (which starts with the op's name). */
export type NamedOpFn = (name: string, inputs: Tensor[], kwargs: Record<string, unknown>) => Tensor;

/** runOpCases, one case at a time, for generators that put several ops in one fixture file. */
export function runNamedOpCases(
  cases: readonly OpCase[],
  fn: NamedOpFn,
  options: Parameters<typeof runOpCases>[2] = {},
): void {
  for (const c of cases) runOpCases([c], (inputs, kwargs) => fn(c.name, inputs, kwargs), options);
}
