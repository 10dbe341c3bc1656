import type { Tensor } from "./tensor.js";

// PyTorch's print options (torch.set_printoptions defaults).
const PRECISION = 4;
const LINE_WIDTH = 80;
const SUMMARIZE_THRESHOLD = 1000;
const EDGE_ITEMS = 3;

/**
 * Python's `'{:.Nf}'` / `'{:.Ne}'`: JavaScript's toFixed/toExponential round an exact tie away
 * from zero, Python to even (`'{:.4f}'.format(1.03125)` is `1.0312`). toFixed/toExponential are
 * exact up to 100 digits, so 30 extra digits show whether the value is exactly a tie.
 */
function pyFormat(v: number, digits: number, kind: "f" | "e"): string {
  const conv = (d: number): string => (kind === "f" ? v.toFixed(d) : v.toExponential(d));
  const rounded = conv(digits);
  const exact = conv(digits + 30);
  const e = kind === "e" ? exact.indexOf("e") : exact.length;
  const mantissa = exact.slice(0, e);
  if (!/^50*$/.test(mantissa.slice(-30))) return rounded;
  const truncated = mantissa.slice(0, -30).replace(/\.$/, "") + exact.slice(e);
  const lastDigit = Number(mantissa.slice(0, -30).replace(/\.$/, "").slice(-1));
  return lastDigit % 2 === 0 ? truncated : rounded;
}

/** `'{:.4e}'`: Python writes at least two exponent digits (`1.0000e+00`). */
const sciString = (v: number): string =>
  pyFormat(v, PRECISION, "e").replace(/e([+-])(\d)$/, "e$10$2");

/** `'{:.Nf}'`, which keeps the sign of -0 (JavaScript's toFixed drops it). */
const fixedString = (v: number, digits: number): string =>
  Number.isFinite(v)
    ? (Object.is(v, -0) ? "-" : "") + pyFormat(v, digits, "f")
    : Number.isNaN(v)
      ? "nan"
      : v > 0
        ? "inf"
        : "-inf";

/**
 * PyTorch's _Formatter: chooses integer, fixed or scientific notation and one width for every
 * element from the values shown (the edges only, when summarised). For floats only the nonzero
 * finite values decide, so `nan` and `0.` are padded to the others' width but never widen it.
 */
function makeFormatter(t: Tensor, shown: readonly number[]): (v: number) => string {
  let width = 1;
  let format: (v: number) => string;
  if (t.dtype === "bool" || t.dtype === "int32") {
    format = t.dtype === "bool" ? (v) => (v ? "True" : "False") : (v) => String(v);
    for (const v of shown) width = Math.max(width, format(v).length);
  } else {
    const nonzero = shown.filter((v) => Number.isFinite(v) && v !== 0);
    const abs = nonzero.map(Math.abs);
    const max = abs.length ? Math.max(...abs) : 0;
    const min = abs.length ? Math.min(...abs) : 0;
    const intMode = nonzero.every((v) => Number.isInteger(v));
    const sci = nonzero.length > 0 && (max / min > 1000 || max > 1e8 || (!intMode && min < 1e-4));
    if (sci) format = (v) => (Number.isFinite(v) ? sciString(v) : fixedString(v, 0));
    else if (intMode)
      format = (v) => (Number.isFinite(v) ? `${fixedString(v, 0)}.` : fixedString(v, 0));
    else format = (v) => fixedString(v, PRECISION);
    for (const v of nonzero) width = Math.max(width, format(v).length);
  }
  return (v) => format(v).padStart(width);
}

/** PyTorch's repr of a tensor: values, then size / dtype / grad_fn / requires_grad suffixes. */
export function formatTensor(t: Tensor): string {
  const values = t.toArray();
  const summarize = values.length > SUMMARIZE_THRESHOLD;
  const strided = t.shape.map((_, d) => t.shape.slice(d + 1).reduce((a, b) => a * b, 1));
  // Which indices of a dim are shown: all, or the edge items around "...".
  const shown = (size: number): (number | null)[] =>
    summarize && size > 2 * EDGE_ITEMS
      ? [
          ...Array.from({ length: EDGE_ITEMS }, (_, i) => i),
          null,
          ...Array.from({ length: EDGE_ITEMS }, (_, i) => size - EDGE_ITEMS + i),
        ]
      : Array.from({ length: size }, (_, i) => i);
  const shownValues: number[] = [];
  const collect = (d: number, base: number): void => {
    if (d === t.ndim) {
      shownValues.push(values[base]!);
      return;
    }
    for (const i of shown(t.shape[d]!)) if (i !== null) collect(d + 1, base + i * strided[d]!);
  };
  if (values.length > 0) collect(0, 0);
  const cell = makeFormatter(t, shownValues);
  const width = shownValues.length ? cell(shownValues[0]!).length : 1;
  const prefix = "tensor(";
  const render = (d: number, base: number, indent: number): string => {
    if (d === t.ndim) return cell(values[base]!);
    const last = d === t.ndim - 1;
    const items = shown(t.shape[d]!).map((i) =>
      // PyTorch's last-dim ellipsis is the element " ...", so ", " makes it ",  ...".
      i === null ? (last ? " ..." : "...") : render(d + 1, base + i * strided[d]!, indent + 1),
    );
    if (last) {
      const perLine = Math.max(1, Math.floor((LINE_WIDTH - indent) / (width + 2)));
      const lines: string[] = [];
      for (let i = 0; i < items.length; i += perLine)
        lines.push(items.slice(i, i + perLine).join(", "));
      return `[${lines.join(",\n" + " ".repeat(indent + 1))}]`;
    }
    const sep = "," + "\n".repeat(t.ndim - d - 1) + " ".repeat(indent + 1);
    return `[${items.join(sep)}]`;
  };
  let body: string;
  const suffixes: string[] = [];
  if (t.numel() === 0) {
    body = "[]";
    if (t.ndim !== 1) suffixes.push(`size=(${t.shape.join(", ")}${t.ndim === 1 ? "," : ""})`);
    // An empty tensor has no values to show its type by, so every non-default dtype is named;
    // int32 stands for PyTorch's int64.
    if (t.dtype !== "float32")
      suffixes.push(`dtype=torch.${t.dtype === "int32" ? "int64" : t.dtype}`);
  } else {
    body = t.ndim === 0 ? cell(values[0]!) : render(0, 0, prefix.length);
    // float32 is the default dtype and int32 stands in for PyTorch's default int64: neither is shown.
    if (t.dtype === "float64") suffixes.push("dtype=torch.float64");
  }
  if (t.gradFn !== null) suffixes.push(`grad_fn=<${t.gradFn.name}>`);
  else if (t.requiresGrad) suffixes.push("requires_grad=True");
  return `${prefix}${[body, ...suffixes].join(", ")})`;
}
