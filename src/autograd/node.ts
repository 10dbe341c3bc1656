import { AutogradError } from "../errors.js";
import type { DType } from "../tensor/dtype.js";
import type { Shape } from "../tensor/shape.js";
import { formatShape, shapesEqual } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";

/**
 * A backward formula: given the gradient of the op's output and the tensors it saved, returns
 * one gradient per input (null where that input needs none). Formulas are written with
 * differentiable tensor ops, so running them with grad mode on gives higher-order gradients.
 */
export type BackwardFn = (grad: Tensor, saved: Tensor[]) => (Tensor | null)[];

/**
 * A node of the backward graph. Each node has exactly one output (its op's result).
 *
 * @example
 * const node = torch.randn([2], { requiresGrad: true }).mul(2).gradFn; // a Node
 */
export abstract class Node {
  /** Where each input's gradient goes: the node that made it, its accumulator, or nowhere. */
  abstract readonly next: readonly (Node | null)[];
  /** The op name PyTorch prints, e.g. `MulBackward0`. */
  abstract readonly name: string;
  /** Tensors whose `.grad` receives this node's incoming gradient (Tensor.retainGrad). */
  retainedBy: Tensor[] | null = null;
  /**
   * @internal The engine's per-run scratch (edges not done yet, gradient summed so far), valid
   * while `taskId` is the running task's id: fields rather than Maps keyed by node, since a
   * training step runs the engine once over every node. Backward formulas never start a
   * backward of their own, so one run at a time uses them.
   */
  taskId = 0;
  taskPending = 0;
  taskBuffer: Tensor | null = null;
  abstract apply(grad: Tensor, retainGraph: boolean): (Tensor | null)[];
}

/**
 * A tensor saved for backward, with the storage version it had then. `producer` is set for a
 * saved output of the saving node (that node, and which of its outputs): PyTorch names it in
 * the in-place error; for any other saved tensor it names the tensor's gradFn at the time of
 * the error (SavedVariable::unpack reads `grad_fn()` then).
 */
export interface SavedTensor {
  readonly tensor: Tensor;
  readonly version: number;
  readonly producer: Node | null;
  readonly outputNr: number;
}

/** Saves `tensor` as it is now; `producer` when it is output `outputNr` of the saving node. */
export function saveTensor(tensor: Tensor, producer: Node | null, outputNr = 0): SavedTensor {
  return { tensor, version: tensor.version, producer, outputNr };
}

/** PyTorch's legacy type names, which its "modified by an inplace operation" error prints. */
const legacyTypeName: Record<DType, string> = {
  float32: "torch.FloatTensor",
  float64: "torch.DoubleTensor",
  int32: "torch.IntTensor",
  bool: "torch.BoolTensor",
};

/** Metadata of an input, to check and cast the gradient a formula returns. */
export interface InputMeta {
  readonly shape: Shape;
  readonly dtype: DType;
}

/**
 * The saved tensors, checked against in-place modification since they were saved, with
 * PyTorch's messages; null: freed by an earlier backward.
 */
export function unpackSaved(saved: readonly SavedTensor[] | null): Tensor[] {
  if (saved === null) {
    throw new AutogradError(
      "Trying to backward through the graph a second time (or directly access saved tensors " +
        "after they have already been freed). Saved intermediate values of the graph are freed " +
        "when you call .backward() or autograd.grad(). Specify retainGraph: true if you need to " +
        "backward through the graph a second time or if you need to access saved tensors after " +
        "calling backward.",
    );
  }
  const out = new Array<Tensor>(saved.length);
  for (let i = 0; i < out.length; i++) {
    const { tensor, version, producer, outputNr } = saved[i]!;
    if (tensor.version !== version) {
      const madeBy = producer ?? tensor.gradFn;
      throw new AutogradError(
        "one of the variables needed for gradient computation has been modified by an inplace " +
          `operation: [${legacyTypeName[tensor.dtype]} ${formatShape(tensor.shape)}]` +
          (madeBy ? `, which is output ${producer ? outputNr : 0} of ${madeBy.name},` : "") +
          ` is at version ${tensor.version}; expected version ${version} instead.`,
      );
    }
    out[i] = tensor;
  }
  return out;
}

export class FunctionNode extends Node {
  private saved: SavedTensor[] | null;
  private readonly hadSaved: boolean;

  constructor(
    readonly name: string,
    readonly next: readonly (Node | null)[],
    private readonly inputs: readonly InputMeta[],
    private readonly backward: BackwardFn,
    saved: readonly Tensor[],
    /** The op's output, when the formula saves it: its producer is this node. */
    output: Tensor | null = null,
  ) {
    super();
    this.saved = saved.map((tensor) => saveTensor(tensor, tensor === output ? this : null));
    this.hadSaved = saved.length > 0;
  }

  apply(grad: Tensor, retainGraph: boolean): (Tensor | null)[] {
    const grads = this.backward(grad, unpackSaved(this.saved));
    if (!retainGraph && this.hadSaved) this.saved = null;
    for (let i = 0; i < grads.length; i++) {
      const g = grads[i]!;
      if (g === null || this.next[i] === null) {
        grads[i] = null;
        continue;
      }
      const meta = this.inputs[i]!;
      if (!shapesEqual(g.shape, meta.shape)) {
        throw new AutogradError(
          `Function ${this.name} returned an invalid gradient at index ${i} - got ` +
            `${formatShape(g.shape)} but expected shape compatible with ${formatShape(meta.shape)}`,
        );
      }
      if (g.dtype !== meta.dtype) grads[i] = g.to(meta.dtype);
    }
    return grads;
  }
}

/** The sink of a leaf tensor's gradient: adds it to `.grad`. */
export class AccumulateGrad extends Node {
  readonly name = "AccumulateGrad";
  readonly next: readonly (Node | null)[] = [];
  constructor(readonly variable: Tensor) {
    super();
  }
  apply(): (Tensor | null)[] {
    return [];
  }
}
