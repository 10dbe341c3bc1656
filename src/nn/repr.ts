/** PyTorch's printed form of modules (torch.nn.Module.__repr__) and of Python values in it. */
import type { Module } from "./module.js";

/** Indents every line but the first by `n` spaces (torch.nn.modules.module._addindent). */
function addIndent(s: string, n: number): string {
  const lines = s.split("\n");
  if (lines.length === 1) return s;
  const pad = " ".repeat(n);
  return [lines[0]!, ...lines.slice(1).map((l) => pad + l)].join("\n");
}

/** The module's tree: `Name(extra)` or `Name(\n  (child): ...\n)`. */
export function formatModule(m: Module): string {
  const extra = m.extraRepr();
  const extraLines = extra ? extra.split("\n") : [];
  const childLines = m
    .childSlots()
    .map(([key, child]) => `(${key}): ${addIndent(child === null ? "None" : child.toString(), 2)}`);
  const lines = [...extraLines, ...childLines];
  let main = `${m.constructor.name}(`;
  if (lines.length > 0) {
    if (extraLines.length === 1 && childLines.length === 0) main += extraLines[0];
    else main += `\n  ${lines.join("\n  ")}\n`;
  }
  return `${main})`;
}

/** A float as Python's repr prints it: `1.0`, `0.01`, `1e-05`. */
export function pyFloat(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return v.toFixed(1);
  const a = Math.abs(v);
  if (a < 1e-4 || a >= 1e16) {
    return v.toExponential().replace(/e([+-])(\d)$/, "e$10$2");
  }
  return String(v);
}

/** A boolean as Python prints it. */
export function pyBool(v: boolean): string {
  return v ? "True" : "False";
}

/** A tuple of ints as Python prints it: `(4,)`, `(2, 3)`. */
export function pyTuple(values: readonly number[]): string {
  return values.length === 1 ? `(${values[0]},)` : `(${values.join(", ")})`;
}
