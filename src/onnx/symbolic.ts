/**
 * How each traced op becomes ONNX nodes (PyTorch's torch/onnx/symbolic_opset*.py), in one table
 * typed over every traced op, so a new traced op does not compile until it has a row here. Each
 * row emits nodes through the context and returns the name of the value holding the op's result.
 * Shapes baked into the graph copy a dim from the input where the traced shapes agree (Reshape's
 * 0), so a symbolic batch dim keeps working.
 */
import type { TracedOp, TracedOps } from "../ops/trace.js";
import type { DType } from "../tensor/dtype.js";
import type { Tensor } from "../tensor/tensor.js";
import { UnsupportedOperatorError } from "./errors.js";
import { ElemType, type OnnxAttribute } from "./model.js";

/** What a row sees of its node and how it emits ONNX. */
export interface LowerContext {
  readonly opset: number;
  /** ONNX names of the node's inputs. */
  readonly inputs: readonly string[];
  /** The traced input tensors (shapes, dtypes). */
  readonly inputTensors: readonly Tensor[];
  /** The traced output. */
  readonly out: Tensor;
  /** Emits a node and returns the name of its (first) output. */
  emit(opType: string, inputs: readonly string[], attrs?: Record<string, OnnxAttribute>): string;
  /** An int64 constant (shapes, axes, indices) of `dims` ([n] by default, [] for a scalar). */
  int64s(values: readonly number[], dims?: readonly number[]): string;
  /** A scalar constant of `dtype`. */
  scalar(value: number, dtype: DType): string;
}

type Row<K extends TracedOp> = (ctx: LowerContext, attrs: TracedOps[K]) => string;

export const int = (value: number): OnnxAttribute => ({ type: "int", value });
export const float = (value: number): OnnxAttribute => ({ type: "float", value });
export const ints = (value: readonly number[]): OnnxAttribute => ({ type: "ints", value });

/** ONNX's element type of a torchlet dtype. */
export function elemType(dtype: DType): ElemType {
  return {
    float32: ElemType.float,
    float64: ElemType.double,
    int32: ElemType.int32,
    bool: ElemType.bool,
  }[dtype];
}

/** "Until the end" for Slice on a dim of any size. */
const TO_END = Number.MAX_SAFE_INTEGER;

const SIMPLE_UNARY = {
  neg: "Neg",
  abs: "Abs",
  sign: "Sign",
  exp: "Exp",
  log: "Log",
  sqrt: "Sqrt",
  reciprocal: "Reciprocal",
  sin: "Sin",
  cos: "Cos",
  tanh: "Tanh",
  sigmoid: "Sigmoid",
  relu: "Relu",
  erf: "Erf",
  floor: "Floor",
  ceil: "Ceil",
  round: "Round",
} as const;

const BINARY = {
  add: "Add",
  sub: "Sub",
  mul: "Mul",
  div: "Div",
  pow: "Pow",
  maximum: "Max",
  minimum: "Min",
} as const;

const COMPARE = {
  eq: "Equal",
  ne: "Equal",
  lt: "Less",
  le: "LessOrEqual",
  gt: "Greater",
  ge: "GreaterOrEqual",
  logicalAnd: "And",
  logicalOr: "Or",
  logicalXor: "Xor",
} as const;

/** The input as bool (the logical ops take only bool in ONNX). */
function asBool(ctx: LowerContext, i: number): string {
  const name = ctx.inputs[i]!;
  return ctx.inputTensors[i]!.dtype === "bool"
    ? name
    : ctx.emit("Not", [ctx.emit("Equal", [name, ctx.scalar(0, ctx.inputTensors[i]!.dtype)])]);
}

/** A reshape target for `out`: -1 kept, dims equal to the input's at the same index copied (0). */
function reshapeTarget(input: Tensor, requested: readonly number[]): number[] {
  return requested.map((d, i) => (d !== -1 && d !== 0 && input.shape[i] === d ? 0 : d));
}

/** Runs a [N, C, ...] op on an unbatched input [C, ...] by adding and removing the batch dim. */
function batched(ctx: LowerContext, spatial: number, fn: (x: string) => string): string {
  const x = ctx.inputs[0]!;
  if (ctx.inputTensors[0]!.ndim === spatial + 2) return fn(x);
  const axes = ctx.int64s([0]);
  return ctx.emit("Squeeze", [fn(ctx.emit("Unsqueeze", [x, axes])), axes]);
}

/** x * 0.5 * (1 + erf(x / sqrt 2)) or the tanh form: opset 17 has no Gelu. */
function gelu(ctx: LowerContext, approximate: "none" | "tanh"): string {
  const x = ctx.inputs[0]!;
  const dt = ctx.out.dtype;
  let inner: string;
  if (approximate === "none") {
    inner = ctx.emit("Erf", [ctx.emit("Mul", [x, ctx.scalar(Math.SQRT1_2, dt)])]);
  } else {
    const cube = ctx.emit("Mul", [ctx.emit("Mul", [x, x]), x]);
    const sum = ctx.emit("Add", [x, ctx.emit("Mul", [cube, ctx.scalar(0.044715, dt)])]);
    inner = ctx.emit("Tanh", [ctx.emit("Mul", [sum, ctx.scalar(Math.sqrt(2 / Math.PI), dt)])]);
  }
  const half = ctx.emit("Mul", [x, ctx.scalar(0.5, dt)]);
  return ctx.emit("Mul", [half, ctx.emit("Add", [inner, ctx.scalar(1, dt)])]);
}

/** Normalisation over the last `k` dims from primitives (LayerNormalization before opset 17). */
function layerNormComposite(ctx: LowerContext, k: number, eps: number): string {
  const x = ctx.inputs[0]!;
  const dt = ctx.out.dtype;
  const axes = ints(Array.from({ length: k }, (_, i) => -k + i));
  const centered = ctx.emit("Sub", [x, ctx.emit("ReduceMean", [x], { axes })]);
  const variance = ctx.emit("ReduceMean", [ctx.emit("Mul", [centered, centered])], { axes });
  const std = ctx.emit("Sqrt", [ctx.emit("Add", [variance, ctx.scalar(eps, dt)])]);
  return ctx.emit("Div", [centered, std]);
}

const rows: { readonly [K in TracedOp]: Row<K> } = {
  unary(ctx, { op }) {
    const x = ctx.inputs[0]!;
    const dt = ctx.out.dtype;
    switch (op) {
      case "log1p":
        return ctx.emit("Log", [ctx.emit("Add", [x, ctx.scalar(1, dt)])]);
      case "expm1":
        return ctx.emit("Sub", [ctx.emit("Exp", [x]), ctx.scalar(1, dt)]);
      case "rsqrt":
        return ctx.emit("Reciprocal", [ctx.emit("Sqrt", [x])]);
      case "trunc": {
        const negative = ctx.emit("Less", [x, ctx.scalar(0, dt)]);
        return ctx.emit("Where", [negative, ctx.emit("Ceil", [x]), ctx.emit("Floor", [x])]);
      }
      default:
        return ctx.emit(SIMPLE_UNARY[op], [x]);
    }
  },
  binary(ctx, { op }) {
    const bool = ctx.out.dtype === "bool";
    const type = bool && op === "add" ? "Or" : bool && op === "mul" ? "And" : BINARY[op];
    return ctx.emit(type, ctx.inputs);
  },
  where: (ctx) => ctx.emit("Where", ctx.inputs),
  compare(ctx, { op }) {
    const logical = op === "logicalAnd" || op === "logicalOr" || op === "logicalXor";
    const ins = logical ? [asBool(ctx, 0), asBool(ctx, 1)] : ctx.inputs;
    const y = ctx.emit(COMPARE[op], ins);
    return op === "ne" ? ctx.emit("Not", [y]) : y;
  },
  predicate(ctx, { op }) {
    if (op === "isnan") return ctx.emit("IsNaN", ctx.inputs);
    if (op === "isinf") return ctx.emit("IsInf", ctx.inputs);
    return ctx.emit("Not", [asBool(ctx, 0)]);
  },
  cast(ctx, { dtype }) {
    if (ctx.inputTensors[0]!.dtype === dtype) return ctx.inputs[0]!;
    return ctx.emit("Cast", ctx.inputs, { to: int(elemType(dtype)) });
  },
  reshape(ctx, { shape }) {
    const target = reshapeTarget(ctx.inputTensors[0]!, shape);
    return ctx.emit("Reshape", [ctx.inputs[0]!, ctx.int64s(target)]);
  },
  permute: (ctx, { dims }) => ctx.emit("Transpose", ctx.inputs, { perm: ints(dims) }),
  expand(ctx, { shape }) {
    // Expand broadcasts: a 1 where the input already has the size keeps the input's dim.
    const input = ctx.inputTensors[0]!;
    const lead = shape.length - input.ndim;
    const target = shape.map((d, i) =>
      i >= lead && (d === -1 || input.shape[i - lead] === d) ? 1 : d,
    );
    return ctx.emit("Expand", [ctx.inputs[0]!, ctx.int64s(target)]);
  },
  squeeze(ctx, { dims }) {
    if (dims.length === 0) return ctx.inputs[0]!;
    return ctx.emit("Squeeze", [ctx.inputs[0]!, ctx.int64s(dims)]);
  },
  unsqueeze: (ctx, { dim }) => ctx.emit("Unsqueeze", [ctx.inputs[0]!, ctx.int64s([dim])]),
  flatten(ctx, { startDim, endDim }) {
    const input = ctx.inputTensors[0]!;
    if (startDim === 1 && endDim === input.ndim - 1)
      return ctx.emit("Flatten", ctx.inputs, { axis: int(1) });
    const target = [
      ...Array.from({ length: startDim }, () => 0),
      -1,
      ...input.shape.slice(endDim + 1),
    ];
    return ctx.emit("Reshape", [ctx.inputs[0]!, ctx.int64s(target)]);
  },
  slice(ctx, { dim, start, end, step }) {
    const size = ctx.inputTensors[0]!.shape[dim]!;
    const args = [[start], [end >= size ? TO_END : end], [dim], [step]].map((v) => ctx.int64s(v));
    return ctx.emit("Slice", [ctx.inputs[0]!, ...args]);
  },
  select: (ctx, { dim, index }) =>
    ctx.emit("Gather", [ctx.inputs[0]!, ctx.int64s([index], [])], { axis: int(dim) }),
  cat: (ctx, { dim }) => ctx.emit("Concat", ctx.inputs, { axis: int(dim) }),
  matmul: (ctx) => ctx.emit("MatMul", ctx.inputs),
  linear(ctx) {
    const [x, w, b] = ctx.inputs;
    if (b !== undefined && ctx.inputTensors[0]!.ndim === 2)
      return ctx.emit("Gemm", [x!, w!, b], { transB: int(1) });
    const y = ctx.emit("MatMul", [x!, ctx.emit("Transpose", [w!], { perm: ints([1, 0]) })]);
    return b === undefined ? y : ctx.emit("Add", [y, b]);
  },
  conv(ctx, { stride, pads, dilation, groups }) {
    const kernel = ctx.inputTensors[1]!.shape.slice(2);
    return ctx.emit("Conv", ctx.inputs, {
      kernel_shape: ints(kernel),
      strides: ints(stride),
      pads: ints(pads),
      dilations: ints(dilation),
      group: int(groups),
    });
  },
  maxPool: (ctx, a) =>
    batched(ctx, 2, (x) =>
      ctx.emit("MaxPool", [x], {
        kernel_shape: ints(a.kernelSize),
        strides: ints(a.stride),
        pads: ints([...a.padding, ...a.padding]),
        dilations: ints(a.dilation),
        ceil_mode: int(a.ceilMode ? 1 : 0),
      }),
    ),
  avgPool: (ctx, a) =>
    batched(ctx, 2, (x) =>
      ctx.emit("AveragePool", [x], {
        kernel_shape: ints(a.kernelSize),
        strides: ints(a.stride),
        pads: ints([...a.padding, ...a.padding]),
        ceil_mode: int(a.ceilMode ? 1 : 0),
        count_include_pad: int(a.countIncludePad ? 1 : 0),
      }),
    ),
  adaptiveAvgPool(ctx, { outputSize }) {
    const [H, W] = ctx.inputTensors[0]!.shape.slice(-2) as [number, number];
    const [oH, oW] = outputSize as [number, number];
    if (oH === 1 && oW === 1) return batched(ctx, 2, (x) => ctx.emit("GlobalAveragePool", [x]));
    if (H % oH !== 0 || W % oW !== 0) {
      throw new UnsupportedOperatorError(
        "adaptive_avg_pool2d",
        ctx.opset,
        `output size [${oH}, ${oW}] does not divide the input size [${H}, ${W}]`,
      );
    }
    const kernel = ints([H / oH, W / oW]);
    return batched(ctx, 2, (x) =>
      ctx.emit("AveragePool", [x], { kernel_shape: kernel, strides: kernel }),
    );
  },
  leakyRelu: (ctx, { negativeSlope }) =>
    ctx.emit("LeakyRelu", ctx.inputs, { alpha: float(negativeSlope) }),
  elu: (ctx, { alpha }) => ctx.emit("Elu", ctx.inputs, { alpha: float(alpha) }),
  gelu: (ctx, { approximate }) => gelu(ctx, approximate),
  softplus(ctx, { beta, threshold }) {
    // PyTorch's: x where beta * x > threshold, else log(1 + exp(beta * x)) / beta.
    const x = ctx.inputs[0]!;
    const dt = ctx.out.dtype;
    const scaled = beta === 1 ? x : ctx.emit("Mul", [x, ctx.scalar(beta, dt)]);
    let soft = ctx.emit("Softplus", [scaled]);
    if (beta !== 1) soft = ctx.emit("Div", [soft, ctx.scalar(beta, dt)]);
    const linear = ctx.emit("Greater", [scaled, ctx.scalar(threshold, dt)]);
    return ctx.emit("Where", [linear, x, soft]);
  },
  softmax: (ctx, { dim }) => ctx.emit("Softmax", ctx.inputs, { axis: int(dim) }),
  logSoftmax: (ctx, { dim }) => ctx.emit("LogSoftmax", ctx.inputs, { axis: int(dim) }),
  reduce(ctx, { op, dims, keepdim }) {
    const x = ctx.inputs[0]!;
    if (ctx.inputTensors[0]!.ndim === 0) return x;
    const keepdims = int(keepdim ? 1 : 0);
    // Opset 13 moved ReduceSum's axes to an input; ReduceMean's stays an attribute until 18.
    if (op === "sum") return ctx.emit("ReduceSum", [x, ctx.int64s(dims)], { keepdims });
    return ctx.emit("ReduceMean", [x], { axes: ints(dims), keepdims });
  },
  layerNorm(ctx, { normalizedShape, eps, hasWeight, hasBias }) {
    const k = normalizedShape.length;
    const x = ctx.inputs[0]!;
    const weight = hasWeight ? ctx.inputs[1]! : null;
    const bias = hasBias ? ctx.inputs[hasWeight ? 2 : 1]! : null;
    if (ctx.opset < 17) {
      let y = layerNormComposite(ctx, k, eps);
      if (weight !== null) y = ctx.emit("Mul", [y, weight]);
      return bias === null ? y : ctx.emit("Add", [y, bias]);
    }
    // LayerNormalization needs a scale: ones when the layer has no weight.
    const scale =
      weight ?? ctx.emit("Expand", [ctx.scalar(1, ctx.out.dtype), ctx.int64s(normalizedShape)]);
    const ins = bias === null ? [x, scale] : [x, scale, bias];
    return ctx.emit("LayerNormalization", ins, { axis: int(-k), epsilon: float(eps) });
  },
  batchNorm(ctx, { eps, hasWeight, hasBias }) {
    const [x, mean, variance] = ctx.inputs as [string, string, string];
    const c = ctx.inputTensors[0]!.shape[1]!;
    const dt = ctx.out.dtype;
    const fill = (v: number): string => ctx.emit("Expand", [ctx.scalar(v, dt), ctx.int64s([c])]);
    const scale = hasWeight ? ctx.inputs[3]! : fill(1);
    const bias = hasBias ? ctx.inputs[hasWeight ? 4 : 3]! : fill(0);
    return ctx.emit("BatchNormalization", [x, scale, bias, mean, variance], {
      epsilon: float(eps),
    });
  },
  embedding: (ctx) => ctx.emit("Gather", ctx.inputs, { axis: int(0) }),
  unsupported(ctx, { op }) {
    throw new UnsupportedOperatorError(op, ctx.opset);
  },
};

/** Emits the ONNX nodes of one traced op; returns the name holding its result. */
export function lower<K extends TracedOp>(op: K, ctx: LowerContext, attrs: TracedOps[K]): string {
  return (rows[op] as Row<K>)(ctx, attrs);
}
