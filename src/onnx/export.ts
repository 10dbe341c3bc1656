/**
 * torch.onnx.export on bytes: traces the model's forward pass on example inputs and encodes the
 * graph as an ONNX ModelProto. Files are the Node adapter's (src/node/onnx-files.ts).
 */
import { enableGrad } from "../autograd/grad-mode.js";
import type { Module } from "../nn/module.js";
import { isTracing, withTracer } from "../ops/trace.js";
import { isFloatingPoint, type DType } from "../tensor/dtype.js";
import { Tensor } from "../tensor/tensor.js";
import { OnnxExportError } from "./errors.js";
import {
  encodeModel,
  ElemType,
  type OnnxNode,
  type OnnxTensor,
  type OnnxValueInfo,
} from "./model.js";
import { elemType, lower, type LowerContext } from "./symbolic.js";
import { TraceGraph } from "./trace-graph.js";

/** A module whose forward takes tensors and returns a tensor or a list of them. */
export type ExportableModule = Module & {
  forward(...inputs: Tensor[]): Tensor | readonly Tensor[];
};

/** Which dims of an input or output are symbolic: `{ 0: "batch" }`, or `[0]` for generated names. */
export type DynamicAxes = Readonly<Record<number, string>> | readonly number[];

/** torch.onnx.export's keyword arguments. */
export interface OnnxExportOptions {
  /** Names of the graph inputs, in order (default `input_0`, `input_1`, ...). */
  inputNames?: readonly string[];
  /** Names of the graph outputs, in order (default `output_0`, ...). */
  outputNames?: readonly string[];
  /** Symbolic dims by input or output name, e.g. `{ input_0: { 0: "batch" } }`. */
  dynamicAxes?: Readonly<Record<string, DynamicAxes>>;
  /** The ONNX opset, 13 to 17 (default 17). */
  opsetVersion?: number;
}

export const DEFAULT_OPSET = 17;
const MIN_OPSET = 13;

function raw(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
}

function tensorBytes(t: Tensor): Uint8Array {
  return raw(t.toArray());
}

function scalarBytes(value: number, dtype: DType): Uint8Array {
  switch (dtype) {
    case "float32":
      return raw(new Float32Array([value]));
    case "float64":
      return raw(new Float64Array([value]));
    case "int32":
      return raw(new Int32Array([value]));
    case "bool":
      return new Uint8Array([value ? 1 : 0]);
  }
}

/** The dims of a graph input or output, with its dynamic axes as named dims. */
function valueDims(name: string, shape: readonly number[], axes: DynamicAxes | undefined) {
  const dims: (number | string | null)[] = [...shape];
  if (axes === undefined) return dims;
  const entries: [number, string][] = Array.isArray(axes)
    ? (axes as readonly number[]).map((d) => [d, `${name}_dynamic_axes_${d + 1}`])
    : Object.entries(axes as Record<number, string>).map(([d, n]) => [Number(d), n]);
  for (const [d, n] of entries) {
    if (!Number.isInteger(d) || d < 0 || d >= shape.length) {
      throw new OnnxExportError(
        `dynamic_axes: ${name} has ${shape.length} dims, so axis ${d} is out of range`,
      );
    }
    dims[d] = n;
  }
  return dims;
}

/**
 * Traces `model.forward(...inputs)` (in eval mode) into an ONNX model and returns its bytes.
 * Parameters and buffers become initializers named by their state-dict keys.
 *
 * @example
 * const bytes = torch.onnx.export(model, torch.randn([1, 784]), {
 *   inputNames: ["x"], outputNames: ["logits"], dynamicAxes: { x: { 0: "batch" } },
 * });
 */
export function exportToBytes(
  model: ExportableModule,
  inputs: Tensor | readonly Tensor[],
  options: OnnxExportOptions = {},
): Uint8Array {
  const opset = options.opsetVersion ?? DEFAULT_OPSET;
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > DEFAULT_OPSET) {
    throw new OnnxExportError(
      `Unsupported ONNX opset version: ${opset} (torchlet exports opsets ${MIN_OPSET} to ${DEFAULT_OPSET})`,
    );
  }
  if (isTracing()) throw new OnnxExportError("torch.onnx.export cannot run inside another export");
  const args = inputs instanceof Tensor ? [inputs] : [...inputs];
  if (!args.every((a) => a instanceof Tensor))
    throw new OnnxExportError("torch.onnx.export: the example inputs must be tensors");

  const params = new Map<Tensor, string>();
  for (const [key, p] of model.namedParameters()) if (!params.has(p)) params.set(p, key);
  for (const [key, b] of model.namedBuffers()) if (!params.has(b)) params.set(b, key);

  // Floating inputs require grad while tracing so that every value computed from them by an op
  // without a mapping has a gradFn, which names it in the error (instead of passing for a constant).
  const traceInputs = args.map((x) => (isFloatingPoint(x.dtype) ? x.detach().requiresGrad_() : x));
  const graph = new TraceGraph(params);
  for (const x of traceInputs) graph.addInput(x);
  const wasTraining = model.training;
  model.eval();
  let result: Tensor | readonly Tensor[];
  try {
    result = enableGrad(() => withTracer(graph, () => model.forward(...traceInputs)));
  } finally {
    model.train(wasTraining);
  }
  const outs = result instanceof Tensor ? [result] : [...result];
  const outIds = outs.map((t) => graph.valueOf(t));

  const inputNames = args.map((_, i) => options.inputNames?.[i] ?? `input_${i}`);
  const outputNames = outs.map((_, i) => options.outputNames?.[i] ?? `output_${i}`);
  for (const name of Object.keys(options.dynamicAxes ?? {})) {
    if (!inputNames.includes(name) && !outputNames.includes(name)) {
      throw new OnnxExportError(
        `dynamic_axes: ${name} is not an input or output name (inputs: ${inputNames.join(", ")}; outputs: ${outputNames.join(", ")})`,
      );
    }
  }

  const nodes: OnnxNode[] = [];
  const initializers: OnnxTensor[] = [];
  const produced = new Set<string>();
  let counter = 0;
  const addInitializer = (
    name: string,
    elem: ElemType,
    dims: readonly number[],
    bytes: Uint8Array,
  ) => {
    initializers.push({ name, elemType: elem, dims, raw: bytes });
    return name;
  };
  const constant = (elem: ElemType, dims: readonly number[], bytes: Uint8Array): string =>
    addInitializer(`onnx::Constant_${counter++}`, elem, dims, bytes);

  const names = new Map<number, string>();
  const valueName = (id: number): string => {
    const cached = names.get(id);
    if (cached !== undefined) return cached;
    const src = graph.values[id]!;
    let name: string;
    if (src.kind === "input") name = inputNames[src.index]!;
    else if (src.kind === "param")
      name = addInitializer(
        src.key,
        elemType(src.tensor.dtype),
        src.tensor.shape,
        tensorBytes(src.tensor),
      );
    else if (src.kind === "const")
      name = constant(elemType(src.tensor.dtype), src.tensor.shape, tensorBytes(src.tensor));
    else throw new Error(`internal: node output ${id} read before it was lowered`);
    names.set(id, name);
    return name;
  };

  for (const node of graph.live(outIds)) {
    const ctx: LowerContext = {
      opset,
      inputs: node.inputs.map(valueName),
      inputTensors: node.inputTensors,
      out: node.out,
      emit(opType, ins, attributes = {}) {
        const name = `${opType}_${counter++}`;
        nodes.push({ opType, name, inputs: ins, outputs: [name], attributes });
        produced.add(name);
        return name;
      },
      int64s: (values, dims = [values.length]) =>
        constant(ElemType.int64, dims, raw(BigInt64Array.from(values, (v) => BigInt(v)))),
      scalar: (value, dtype) => constant(elemType(dtype), [], scalarBytes(value, dtype)),
    };
    names.set(node.output, lower(node.op, ctx, node.attrs as never));
  }

  // Name each output's producing node after it; an output that is an input, an initializer or a
  // repeat of another output gets an Identity.
  const rename = new Map<string, string>();
  const identities: OnnxNode[] = [];
  outIds.forEach((id, i) => {
    const name = valueName(id);
    const want = outputNames[i]!;
    if (produced.has(name) && !rename.has(name)) rename.set(name, want);
    else {
      const from = rename.get(name) ?? name;
      identities.push({
        opType: "Identity",
        name: `Identity_${counter++}`,
        inputs: [from],
        outputs: [want],
        attributes: {},
      });
    }
  });
  const r = (n: string): string => rename.get(n) ?? n;
  const finalNodes = [
    ...nodes.map((n) => ({ ...n, inputs: n.inputs.map(r), outputs: n.outputs.map(r) })),
    ...identities,
  ];

  const dyn = options.dynamicAxes ?? {};
  const graphInputs: OnnxValueInfo[] = args.map((x, i) => ({
    name: inputNames[i]!,
    elemType: elemType(x.dtype),
    dims: valueDims(inputNames[i]!, x.shape, dyn[inputNames[i]!]),
  }));
  // With symbolic input dims, an output without dynamic axes of its own has unknown dims rather
  // than the traced sizes, which may not hold for other inputs.
  const anyDynamicInput = inputNames.some((n) => dyn[n] !== undefined);
  const graphOutputs: OnnxValueInfo[] = outs.map((y, i) => {
    const name = outputNames[i]!;
    const dims =
      dyn[name] === undefined && anyDynamicInput
        ? y.shape.map(() => null)
        : valueDims(name, y.shape, dyn[name]);
    return { name, elemType: elemType(y.dtype), dims };
  });
  return encodeModel(
    {
      name: "torchlet",
      nodes: finalNodes,
      initializers,
      inputs: graphInputs,
      outputs: graphOutputs,
    },
    opset,
  );
}
