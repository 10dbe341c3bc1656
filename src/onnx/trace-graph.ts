/**
 * The graph a traced forward pass records, in torch terms: every traced op becomes a node whose
 * inputs are values (graph inputs, parameters, constants or other nodes' outputs). Tensors are
 * told apart by identity: a tensor no traced op produced is a parameter or buffer (by its
 * state-dict key), a constant made inside `forward` (no autograd history), or the output of an
 * op without a mapping (it has a `gradFn`: the export then fails, naming it, if the graph reads
 * it).
 */
import { OnnxExportError } from "./errors.js";
import type { OpTracer, TracedOp, TracedOps } from "../ops/trace.js";
import type { TensorLike } from "../ops/support.js";
import { allocate } from "../tensor/dtype.js";
import { shapesEqual } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";

/** Where a value comes from. */
export type ValueSource =
  | { readonly kind: "input"; readonly index: number }
  | { readonly kind: "param"; readonly key: string; readonly tensor: Tensor }
  | { readonly kind: "const"; readonly tensor: Tensor }
  | { readonly kind: "node"; readonly node: TraceNode };

/** One traced op. */
export interface TraceNode {
  readonly op: TracedOp;
  readonly attrs: TracedOps[TracedOp];
  /** Value ids of the inputs. */
  readonly inputs: readonly number[];
  /** The tensors themselves, for shapes and dtypes. */
  readonly inputTensors: readonly Tensor[];
  readonly output: number;
  readonly out: Tensor;
}

/** Records traced ops into values and nodes. */
export class TraceGraph implements OpTracer {
  readonly values: ValueSource[] = [];
  readonly nodes: TraceNode[] = [];
  private readonly ids = new Map<Tensor, number>();
  /** Values that depend on an input or a parameter (the rest are computed from constants). */
  private readonly dynamic = new Set<number>();
  /**
   * Storages of the inputs and of values computed from them: a "constant" over one of them is a
   * detached alias of a traced value (an op computing on `x.detach()` under noGrad), which would
   * freeze the example's numbers into the graph, so the export refuses it.
   */
  private readonly dynamicStorages = new Set<object>();

  constructor(private readonly params: ReadonlyMap<Tensor, string>) {}

  /** Registers the example inputs as graph inputs 0, 1, ... */
  addInput(t: Tensor): number {
    const id = this.values.push({ kind: "input", index: this.values.length }) - 1;
    this.ids.set(t, id);
    this.dynamic.add(id);
    this.dynamicStorages.add(t.storage);
    return id;
  }

  /** The value id of `t`, classifying a tensor seen for the first time. */
  valueOf(t: Tensor): number {
    const known = this.ids.get(t);
    if (known !== undefined) return known;
    const key = this.params.get(t);
    let id: number;
    if (key !== undefined) {
      id = this.values.push({ kind: "param", key, tensor: t }) - 1;
      this.dynamic.add(id);
    } else if (t.gradFn !== null) {
      // Computed from the inputs or parameters by an op the tracer did not see.
      const op = t.gradFn.name.replace(/Backward\d*$/, "");
      id = this.record("unsupported", [], t, { op: op.charAt(0).toLowerCase() + op.slice(1) });
      return id;
    } else {
      if (this.dynamicStorages.has(t.storage)) {
        throw new OnnxExportError(
          "torch.onnx.export: forward computes on a detached alias of a traced value (an op " +
            "run on x.detach() or under noGrad); the export would freeze the example's numbers",
        );
      }
      // A constant (torch.ones, a scalar operand, ...): copied now, in case it changes later.
      id = this.values.push({ kind: "const", tensor: Tensor.fromData(t.toArray(), t.shape) }) - 1;
    }
    this.ids.set(t, id);
    return id;
  }

  record<K extends TracedOp>(
    op: K,
    inputs: readonly TensorLike[],
    out: Tensor,
    attrs: TracedOps[K],
  ): number {
    const tensors = inputs.map((x) =>
      x instanceof Tensor ? x : Tensor.fromData(new Float32Array([Number(x)]), []),
    );
    const ids = tensors.map((t) => this.valueOf(t));
    const id = this.values.length;
    const node: TraceNode = { op, attrs, inputs: ids, inputTensors: tensors, output: id, out };
    this.values.push({ kind: "node", node });
    this.nodes.push(node);
    if (op === "unsupported" || ids.some((i) => this.dynamic.has(i))) {
      this.dynamic.add(id);
      this.dynamicStorages.add(out.storage);
    }
    // An outer op (linear over matmul and add, ...) re-binds its output: the inner nodes
    // become unread and are dropped by `live`.
    this.ids.set(out, id);
    return id;
  }

  /**
   * An in-place write: `target` now stands for `value`, broadcast and cast to its dtype. Writing
   * into a view of a traced value changes the base, which the graph cannot express: reading the
   * base afterwards fails the export. Constants built in place (`zeros(...).fill_(2)`) stay
   * constants, read when first used.
   */
  inPlace(name: string, target: Tensor, value: Tensor | null): void {
    const isDynamic = (t: Tensor): boolean => {
      const id = this.ids.get(t);
      return id !== undefined ? this.dynamic.has(id) : t.gradFn !== null || this.params.has(t);
    };
    const base = target.base;
    const constant = value === null || !isDynamic(value);
    if (constant && !isDynamic(target) && (base === null || !isDynamic(base))) {
      // Read again, target (and its base) are constants with the new contents.
      this.ids.delete(target);
      if (base !== null) this.ids.delete(base);
      return;
    }
    if (value === null) this.ids.delete(target);
    else if (shapesEqual(value.shape, target.shape)) {
      this.record("cast", [value], target, { dtype: target.dtype });
    } else {
      // A broadcast write (x.copy_(y) with y smaller): cast into a stand-in of y's shape, expand.
      const cast = Tensor.fromData(allocate(target.dtype, value.numel()), value.shape);
      this.record("cast", [value], cast, { dtype: target.dtype });
      this.record("expand", [cast], target, { shape: target.shape });
    }
    if (base !== null) this.record("unsupported", [], base, { op: `${name} into a view` });
  }

  /** The nodes that `outputs` depend on, in recording (topological) order. */
  live(outputs: readonly number[]): TraceNode[] {
    const needed = new Set<number>(outputs);
    for (let i = this.nodes.length - 1; i >= 0; i--) {
      const n = this.nodes[i]!;
      if (needed.has(n.output)) for (const v of n.inputs) needed.add(v);
    }
    return this.nodes.filter((n) => needed.has(n.output));
  }
}
