/**
 * The hook that lets an exporter (torch.onnx.export) see the ops a forward pass runs. Each
 * traceable op ends with `return traced(op, inputs, out, attrs)`: when no tracer is set (always,
 * except inside an export) that is one null check; inside an export the tracer records the op
 * with its attributes, in torch terms. How an op becomes ONNX lives with the exporter
 * (src/onnx/symbolic.ts), in one table typed by `TracedOps`, so a new traced op does not compile
 * until it has a mapping.
 *
 * Composites need no care: an outer op (linear, layerNorm, ...) records after the ops it ran,
 * re-binding the same output tensor, and the exporter drops the inner nodes nothing reads.
 */
import type { BinaryOp, UnaryOp } from "../backend/backend.js";
import type { DType } from "../tensor/dtype.js";
import type { Tensor } from "../tensor/tensor.js";
import type { TensorLike } from "./support.js";
import type { MathOp } from "./unary.js";

/** The comparisons and logical ops, which give bool tensors. */
export type CompareOp = Extract<
  BinaryOp,
  "eq" | "ne" | "lt" | "le" | "gt" | "ge" | "logicalAnd" | "logicalOr" | "logicalXor"
>;

/** The unary predicates. */
export type UnaryPredicate = Extract<UnaryOp, "logicalNot" | "isnan" | "isinf">;

/** Every traceable op and its attributes (PyTorch's argument names, dims already normalised). */
export interface TracedOps {
  unary: { op: MathOp };
  binary: { op: "add" | "sub" | "mul" | "div" | "pow" | "maximum" | "minimum" };
  where: Record<string, never>;
  compare: { op: CompareOp };
  predicate: { op: UnaryPredicate };
  cast: { dtype: DType };
  /** view/reshape: `shape` as the caller wrote it (may hold one -1). */
  reshape: { shape: readonly number[] };
  permute: { dims: readonly number[] };
  expand: { shape: readonly number[] };
  squeeze: { dims: readonly number[] };
  unsqueeze: { dim: number };
  flatten: { startDim: number; endDim: number };
  slice: { dim: number; start: number; end: number; step: number };
  select: { dim: number; index: number };
  cat: { dim: number };
  matmul: Record<string, never>;
  /** x @ weight^T (+ bias): inputs [x, weight] or [x, weight, bias]. */
  linear: Record<string, never>;
  /** inputs [x, weight] or [x, weight, bias]; 1-d or 2-d by the length of `stride`. */
  conv: {
    stride: readonly number[];
    /** ONNX's order: the begin of each spatial dim, then the end of each. */
    pads: readonly number[];
    dilation: readonly number[];
    groups: number;
  };
  maxPool: {
    kernelSize: readonly number[];
    stride: readonly number[];
    padding: readonly number[];
    dilation: readonly number[];
    ceilMode: boolean;
  };
  avgPool: {
    kernelSize: readonly number[];
    stride: readonly number[];
    padding: readonly number[];
    ceilMode: boolean;
    countIncludePad: boolean;
  };
  adaptiveAvgPool: { outputSize: readonly number[] };
  leakyRelu: { negativeSlope: number };
  elu: { alpha: number };
  gelu: { approximate: "none" | "tanh" };
  softplus: { beta: number; threshold: number };
  softmax: { dim: number };
  logSoftmax: { dim: number };
  /** sum/mean over `dims` (empty: all dims). */
  reduce: { op: "sum" | "mean"; dims: readonly number[]; keepdim: boolean };
  /** inputs [x, weight?, bias?] as `hasWeight`/`hasBias` say. */
  layerNorm: {
    normalizedShape: readonly number[];
    eps: number;
    hasWeight: boolean;
    hasBias: boolean;
  };
  /** Eval-mode batch norm: inputs [x, runningMean, runningVar, weight?, bias?]. */
  batchNorm: { eps: number; hasWeight: boolean; hasBias: boolean };
  /** inputs [weight, indices]. */
  embedding: Record<string, never>;
  /** An op whose output has no ONNX mapping: the export fails if the graph reads it. */
  unsupported: { op: string };
}

export type TracedOp = keyof TracedOps;

/** What records traced ops (the ONNX exporter's graph builder). */
export interface OpTracer {
  record<K extends TracedOp>(
    op: K,
    inputs: readonly TensorLike[],
    out: Tensor,
    attrs: TracedOps[K],
  ): void;
  /** In-place op `name` wrote `value` (null: a constant) into `target`. */
  inPlace(name: string, target: Tensor, value: Tensor | null): void;
}

let tracer: OpTracer | null = null;

/** Records `out` as the result of `op` when a tracer is set; returns `out`. */
export function traced<K extends TracedOp>(
  op: K,
  inputs: readonly TensorLike[],
  out: Tensor,
  attrs: TracedOps[K],
): Tensor {
  if (tracer !== null) tracer.record(op, inputs, out, attrs);
  return out;
}

/**
 * Records that in-place op `name` wrote `value` into `target` (in-place ops compute out of place,
 * then copy; null: a fill with a constant).
 */
export function tracedInPlace(name: string, target: Tensor, value: Tensor | null): void {
  if (tracer !== null) tracer.inPlace(name, target, value);
}

/** @internal Runs `fn` with `t` recording every traced op (nesting is refused by the caller). */
export function withTracer<T>(t: OpTracer, fn: () => T): T {
  const previous = tracer;
  tracer = t;
  try {
    return fn();
  } finally {
    tracer = previous;
  }
}

/** @internal Whether an export is tracing right now. */
export function isTracing(): boolean {
  return tracer !== null;
}
