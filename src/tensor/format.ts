import type { Tensor } from "./tensor.js";

const PRECISION = 4;
const LINE_WIDTH = 80;
const SUMMARIZE_THRESHOLD = 1000;
const EDGE_ITEMS = 3;

/** Formats one element the way PyTorch's _Formatter does for the whole tensor. */
function makeFormatter(t: Tensor, values: ArrayLike<number>): (v: number) => string {
  if (t.dtype === "bool") return (v) => (v ? "True" : "False");
  if (t.dtype === "int32") return (v) => String(v);
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) finite.push(values[i]!);
  const special = (v: number): string | null =>
    Number.isNaN(v) ? "nan" : v === Infinity ? "inf" : v === -Infinity ? "-inf" : null;
  const intMode = finite.every((v) => Number.isInteger(v));
  const nonzero = finite.map(Math.abs).filter((v) => v !== 0);
  const max = nonzero.length ? Math.max(...nonzero) : 0;
  const min = nonzero.length ? Math.min(...nonzero) : 0;
  const sci =
    nonzero.length > 0 && (intMode ? max > 1e8 : max / min > 1000 || max > 1e8 || min < 1e-4);
  const exp = (v: number): string => v.toExponential(PRECISION).replace(/e([+-])(\d)$/, "e$10$2");
  if (intMode && !sci) return (v) => special(v) ?? `${v.toFixed(0)}.`;
  if (sci) return (v) => special(v) ?? exp(v);
  return (v) => special(v) ?? v.toFixed(PRECISION);
}

/** PyTorch's repr of a tensor: values, then dtype / grad_fn / requires_grad suffixes. */
export function formatTensor(t: Tensor): string {
  const values = t.toArray();
  const summarize = values.length > SUMMARIZE_THRESHOLD;
  const fmt = makeFormatter(t, values);
  const strided = t.shape.map((_, d) => t.shape.slice(d + 1).reduce((a, b) => a * b, 1));
  const cells = new Map<number, string>();
  let width = 0;
  const cell = (i: number): string => {
    let s = cells.get(i);
    if (s === undefined) {
      s = fmt(values[i]!);
      cells.set(i, s);
    }
    return s;
  };
  // Which indices of a dim are shown: all, or the edge items around "...".
  const shown = (size: number): (number | null)[] =>
    summarize && size > 2 * EDGE_ITEMS
      ? [
          ...Array.from({ length: EDGE_ITEMS }, (_, i) => i),
          null,
          ...Array.from({ length: EDGE_ITEMS }, (_, i) => size - EDGE_ITEMS + i),
        ]
      : Array.from({ length: size }, (_, i) => i);
  const collect = (d: number, base: number): void => {
    if (d === t.ndim) {
      width = Math.max(width, cell(base).length);
      return;
    }
    for (const i of shown(t.shape[d]!)) if (i !== null) collect(d + 1, base + i * strided[d]!);
  };
  collect(0, 0);
  const prefix = "tensor(";
  const render = (d: number, base: number, indent: number): string => {
    if (d === t.ndim) return cell(base).padStart(width);
    const items = shown(t.shape[d]!).map((i) =>
      i === null ? "..." : render(d + 1, base + i * strided[d]!, indent + 1),
    );
    if (d === t.ndim - 1) {
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
  } else if (t.ndim === 0) {
    body = cell(0);
  } else {
    body = render(0, 0, prefix.length);
  }
  // float32 is the default dtype and int32 stands in for PyTorch's default int64: neither is shown.
  if (t.dtype === "float64") suffixes.push("dtype=torch.float64");
  if (t.gradFn !== null) suffixes.push(`grad_fn=<${t.gradFn.name}>`);
  else if (t.requiresGrad) suffixes.push("requires_grad=True");
  return `${prefix}${[body, ...suffixes].join(", ")})`;
}
