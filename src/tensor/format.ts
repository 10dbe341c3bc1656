/**
 * PyTorch's repr of a tensor (torch/_tensor_str.py), line for line: the _Formatter's choice of
 * integer, fixed or scientific notation, _vector_str's line wrapping, summarisation with `...`,
 * _add_suffixes' wrapping of `dtype=` / `grad_fn=` / `requires_grad=`, and set_printoptions.
 * int32 stands for PyTorch's int64, one of the dtypes PyTorch does not name in a repr.
 */
import type { Tensor } from "./tensor.js";
import { isFloatingPoint } from "./dtype.js";

/** The print options in force (torch._tensor_str.PRINT_OPTS). */
export interface PrintOptions {
  /** Digits after the point (default 4). */
  precision: number;
  /** More elements than this are summarised with `...` (default 1000; Infinity: never). */
  threshold: number;
  /** Items shown at each end of a summarised dim (default 3). */
  edgeItems: number;
  /** Characters per line before wrapping (default 80). */
  lineWidth: number;
  /** Force scientific notation on (true) or off (false); null: chosen from the values. */
  sciMode: boolean | null;
}

const DEFAULTS: Readonly<PrintOptions> = {
  precision: 4,
  threshold: 1000,
  edgeItems: 3,
  lineWidth: 80,
  sciMode: null,
};

const PROFILES: Record<"default" | "short" | "full", Omit<PrintOptions, "sciMode">> = {
  default: { precision: 4, threshold: 1000, edgeItems: 3, lineWidth: 80 },
  short: { precision: 2, threshold: 1000, edgeItems: 2, lineWidth: 80 },
  full: { precision: 4, threshold: Infinity, edgeItems: 3, lineWidth: 80 },
};

/** The keywords of setPrintoptions (torch.set_printoptions). */
export interface PrintOptionsInput extends Partial<PrintOptions> {
  /** A preset applied first: "default", "short" (precision 2, 2 edge items) or "full". */
  profile?: "default" | "short" | "full";
}

const opts: PrintOptions = { ...DEFAULTS };

/**
 * Sets how tensors print, as torch.set_printoptions. As in PyTorch, `sciMode` is reset to
 * automatic by any call that does not pass it.
 *
 * @example
 * torch.setPrintoptions({ precision: 2 });
 * torch.setPrintoptions({ profile: "default" }); // back to the defaults
 */
export function setPrintoptions(options: PrintOptionsInput = {}): void {
  if (options.profile !== undefined) Object.assign(opts, PROFILES[options.profile]);
  if (options.precision !== undefined) opts.precision = options.precision;
  if (options.threshold !== undefined) opts.threshold = options.threshold;
  if (options.edgeItems !== undefined) opts.edgeItems = options.edgeItems;
  if (options.lineWidth !== undefined) opts.lineWidth = options.lineWidth;
  opts.sciMode = options.sciMode ?? null;
}

/**
 * Runs `fn` with print options changed, then restores the previous ones (torchlet's scoped
 * form of setPrintoptions, as PyTorch 2's `torch._tensor_str.printoptions`).
 *
 * @example
 * torch.withPrintoptions({ precision: 8 }, () => console.log(x));
 */
export function withPrintoptions<T>(options: PrintOptionsInput, fn: () => T): T {
  const saved = { ...opts };
  setPrintoptions(options);
  try {
    return fn();
  } finally {
    Object.assign(opts, saved);
  }
}

/**
 * Python's `'{:.Nf}'` / `'{:.Ne}'`: JavaScript's toFixed/toExponential round an exact tie away
 * from zero, Python to even (`'{:.4f}'.format(1.03125)` is `1.0312`). toFixed/toExponential are
 * exact up to 100 digits, so 30 extra digits show whether the value is exactly a tie.
 */
function pyFormat(v: number, digits: number, kind: "f" | "e"): string {
  const conv = (d: number): string => (kind === "f" ? v.toFixed(d) : v.toExponential(d));
  const rounded = conv(digits);
  const exact = conv(Math.min(digits + 30, 100));
  const e = kind === "e" ? exact.indexOf("e") : exact.length;
  const mantissa = exact.slice(0, e);
  if (!/^50*$/.test(mantissa.slice(-30))) return rounded;
  const truncated = mantissa.slice(0, -30).replace(/\.$/, "") + exact.slice(e);
  const lastDigit = Number(mantissa.slice(0, -30).replace(/\.$/, "").slice(-1));
  return lastDigit % 2 === 0 ? truncated : rounded;
}

/** Python's spelling of a non-finite float. */
const nonFinite = (v: number): string => (Number.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf");

/** `'{:.Ne}'`: Python writes at least two exponent digits (`1.0000e+00`). */
function sciString(v: number, precision: number): string {
  if (!Number.isFinite(v)) return nonFinite(v);
  const s = pyFormat(v, precision, "e").replace(/e([+-])(\d)$/, "e$10$2");
  return Object.is(v, -0) ? `-${s}` : s;
}

/** `'{:.Nf}'`, which keeps the sign of -0 (JavaScript's toFixed drops it). */
function fixedString(v: number, digits: number): string {
  if (!Number.isFinite(v)) return nonFinite(v);
  return (Object.is(v, -0) ? "-" : "") + pyFormat(v, digits, "f");
}

/** PyTorch's _Formatter: one notation and one width for every element shown. */
interface Formatter {
  readonly width: number;
  format(v: number): string;
}

/**
 * For floats only the nonzero finite values decide, so `nan` and `0.` are padded to the others'
 * width but never widen it. A forced `sciMode` changes the notation but not the width, and does
 * not apply when no value is nonzero and finite: both as PyTorch.
 */
function makeFormatter(t: Tensor, shown: readonly number[]): Formatter {
  const precision = opts.precision;
  let width = 1;
  if (!isFloatingPoint(t.dtype)) {
    const str = t.dtype === "bool" ? (v: number) => (v ? "True" : "False") : String;
    for (const v of shown) width = Math.max(width, str(v).length);
    return { width, format: (v) => str(v).padStart(width) };
  }
  let intMode = true;
  let sci = false;
  const nonzero = shown.filter((v) => Number.isFinite(v) && v !== 0);
  if (nonzero.length > 0) {
    let max = 0;
    let min = Infinity;
    for (const v of nonzero) {
      const a = Math.abs(v);
      if (a > max) max = a;
      if (a < min) min = a;
    }
    intMode = nonzero.every((v) => v === Math.ceil(v));
    sci = max / min > 1000 || max > 1e8 || (!intMode && min < 1e-4);
    const measure = sci
      ? (v: number) => sciString(v, precision).length
      : intMode
        ? (v: number) => fixedString(v, 0).length + 1
        : (v: number) => fixedString(v, precision).length;
    for (const v of nonzero) width = Math.max(width, measure(v));
    if (opts.sciMode !== null) sci = opts.sciMode;
  }
  const format = (v: number): string => {
    if (sci) return sciString(v, precision);
    if (intMode) return Number.isFinite(v) ? `${fixedString(v, 0)}.` : nonFinite(v);
    return fixedString(v, precision);
  };
  return { width, format: (v) => format(v).padStart(width) };
}

/** `str(tuple(shape))`: `(2, 0)`, `(0,)`. */
const pyTuple = (shape: readonly number[]): string =>
  shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;

/** _add_suffixes: each suffix after ", ", or on a new line when it would pass the line width. */
function addSuffixes(tensorStr: string, suffixes: readonly string[], indent: number): string {
  const parts = [tensorStr];
  // PyTorch's count, off by two from the visible length: kept so lines break where PyTorch's do.
  let lastLineLen = tensorStr.length - tensorStr.lastIndexOf("\n") + 1;
  for (const suffix of suffixes) {
    if (lastLineLen + suffix.length + 2 > opts.lineWidth) {
      parts.push(",\n" + " ".repeat(indent) + suffix);
      lastLineLen = indent + suffix.length;
    } else {
      parts.push(", " + suffix);
      lastLineLen += suffix.length + 2;
    }
  }
  return parts.join("") + ")";
}

/** The bracketed values (_tensor_str): summarised when there are more than `threshold`. */
function tensorBody(t: Tensor, indent: number): string {
  const values = t.toArray();
  const summarize = values.length > opts.threshold;
  const edge = opts.edgeItems;
  const strided = t.shape.map((_, d) => t.shape.slice(d + 1).reduce((a, b) => a * b, 1));
  // Which indices of a dim are shown: all, or the edge items around "...".
  const shown = (size: number): (number | null)[] =>
    summarize && size > 2 * edge
      ? [
          ...Array.from({ length: edge }, (_, i) => i),
          null,
          ...Array.from({ length: edge }, (_, i) => size - edge + i),
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
  collect(0, 0);
  const formatter = makeFormatter(t, shownValues);
  const render = (d: number, base: number, ind: number): string => {
    if (d === t.ndim) return formatter.format(values[base]!);
    const last = d === t.ndim - 1;
    const items = shown(t.shape[d]!).map((i) =>
      // PyTorch's last-dim ellipsis is the element " ...", so ", " makes it ",  ...".
      i === null ? (last ? " ..." : "...") : render(d + 1, base + i * strided[d]!, ind + 1),
    );
    if (last) {
      const perLine = Math.max(1, Math.floor((opts.lineWidth - ind) / (formatter.width + 2)));
      const lines: string[] = [];
      for (let i = 0; i < items.length; i += perLine)
        lines.push(items.slice(i, i + perLine).join(", "));
      return `[${lines.join(",\n" + " ".repeat(ind + 1))}]`;
    }
    return `[${items.join("," + "\n".repeat(t.ndim - d - 1) + " ".repeat(ind + 1))}]`;
  };
  return render(0, 0, indent);
}

/** PyTorch's name of a dtype in a repr; int32 stands for PyTorch's int64. */
const reprDType = (t: Tensor): string => `torch.${t.dtype === "int32" ? "int64" : t.dtype}`;

/** PyTorch's repr of a tensor: values, then device / size / dtype / grad_fn suffixes. */
export function formatTensor(t: Tensor): string {
  const prefix = "tensor(";
  const indent = prefix.length;
  const suffixes: string[] = [];
  if (t.device.type !== "cpu") suffixes.push(`device='${String(t.device)}'`);
  let body: string;
  if (t.numel() === 0) {
    body = "[]";
    if (t.ndim !== 1) suffixes.push(`size=${pyTuple(t.shape)}`);
    // With no values to show the type by, every dtype but the default float32 is named.
    if (t.dtype !== "float32") suffixes.push(`dtype=${reprDType(t)}`);
  } else {
    body = tensorBody(t, indent);
    // float32 (the default), int64 (torchlet's int32) and bool are not named.
    if (t.dtype === "float64") suffixes.push(`dtype=${reprDType(t)}`);
  }
  if (t.gradFn !== null) suffixes.push(`grad_fn=<${t.gradFn.name}>`);
  else if (t.requiresGrad) suffixes.push("requires_grad=True");
  return addSuffixes(prefix + body, suffixes, indent);
}

/**
 * The key Node's util.inspect (and so console.log) looks up for an object's printed form. It is
 * a registered symbol, so the browser core defines it without importing node:util.
 */
export const inspectCustom: unique symbol = Symbol.for("nodejs.util.inspect.custom");
