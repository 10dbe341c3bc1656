/**
 * The ONNX messages the exporter writes (a subset of onnx/onnx.proto, IR version 8) and their
 * encoding. Field numbers are onnx.proto's.
 */
import { ProtoWriter } from "./protobuf.js";

/** ONNX's TensorProto.DataType values for the element types torchlet exports. */
export const ElemType = { float: 1, int32: 6, int64: 7, bool: 9, double: 11 } as const;
export type ElemType = (typeof ElemType)[keyof typeof ElemType];

/** A tensor constant: an initializer or a Constant node's value. */
export interface OnnxTensor {
  readonly name: string;
  readonly elemType: ElemType;
  readonly dims: readonly number[];
  /** Little-endian element bytes (one byte per bool). */
  readonly raw: Uint8Array;
}

/** A node attribute, tagged with its ONNX AttributeType. */
export type OnnxAttribute =
  | { readonly type: "int"; readonly value: number }
  | { readonly type: "float"; readonly value: number }
  | { readonly type: "ints"; readonly value: readonly number[] }
  | { readonly type: "floats"; readonly value: readonly number[] }
  | { readonly type: "string"; readonly value: string }
  | { readonly type: "tensor"; readonly value: OnnxTensor };

export interface OnnxNode {
  readonly opType: string;
  readonly name: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: Readonly<Record<string, OnnxAttribute>>;
}

/**
 * A graph input's or output's type: element type and dims (a string is a symbolic dim, null an
 * unknown one).
 */
export interface OnnxValueInfo {
  readonly name: string;
  readonly elemType: ElemType;
  readonly dims: readonly (number | string | null)[];
}

export interface OnnxGraph {
  readonly name: string;
  readonly nodes: readonly OnnxNode[];
  readonly initializers: readonly OnnxTensor[];
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
}

/** IR version 8 is the one that goes with opsets 13 to 17 (onnx/onnx docs/Versioning.md). */
const IR_VERSION = 8;

const ATTRIBUTE_TYPE = { float: 1, int: 2, string: 3, tensor: 4, floats: 6, ints: 7 } as const;

function writeTensor(w: ProtoWriter, t: OnnxTensor): void {
  for (const d of t.dims) w.varint(1, d);
  w.varint(2, t.elemType);
  w.string(8, t.name);
  w.bytes(9, t.raw);
}

function writeAttribute(w: ProtoWriter, name: string, a: OnnxAttribute): void {
  w.string(1, name);
  w.varint(20, ATTRIBUTE_TYPE[a.type]);
  switch (a.type) {
    case "float":
      w.float(2, a.value);
      break;
    case "int":
      w.varint(3, a.value);
      break;
    case "string":
      w.string(4, a.value);
      break;
    case "tensor":
      w.message(5, (m) => writeTensor(m, a.value));
      break;
    case "floats":
      for (const v of a.value) w.float(7, v);
      break;
    case "ints":
      for (const v of a.value) w.varint(8, v);
      break;
  }
}

function writeNode(w: ProtoWriter, n: OnnxNode): void {
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name);
  w.string(4, n.opType);
  for (const [name, a] of Object.entries(n.attributes))
    w.message(5, (m) => writeAttribute(m, name, a));
}

function writeValueInfo(w: ProtoWriter, v: OnnxValueInfo): void {
  w.string(1, v.name);
  // TypeProto.tensor_type { elem_type, shape { dim { dim_value | dim_param } } }
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.varint(1, v.elemType);
      tensor.message(2, (shape) => {
        for (const d of v.dims) {
          shape.message(1, (dim) => {
            if (typeof d === "string") dim.string(2, d);
            else if (d !== null) dim.varint(1, d);
          });
        }
      });
    }),
  );
}

/** The bytes of a ModelProto holding `graph`, importing the default domain at `opset`. */
export function encodeModel(graph: OnnxGraph, opset: number): Uint8Array {
  const w = new ProtoWriter();
  w.varint(1, IR_VERSION);
  w.string(2, "torchlet");
  w.message(7, (g) => {
    for (const n of graph.nodes) g.message(1, (m) => writeNode(m, n));
    g.string(2, graph.name);
    for (const t of graph.initializers) g.message(5, (m) => writeTensor(m, t));
    for (const v of graph.inputs) g.message(11, (m) => writeValueInfo(m, v));
    for (const v of graph.outputs) g.message(12, (m) => writeValueInfo(m, v));
  });
  // OperatorSetIdProto { domain = "" (the default ONNX domain), version }
  w.message(8, (o) => o.string(1, "").varint(2, opset));
  return w.finish();
}
