import { AutogradError } from "../errors.js";
import { zeros } from "../tensor/create.js";
import { formatShape, shapesEqual } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { ctxState, pythonTypeName, type FunctionCtx } from "./function-ctx.js";
import { Node, type InputMeta } from "./node.js";

/** A custom Function's backward, as its class defines it. */
export type UserBackward = (ctx: FunctionCtx, ...grads: (Tensor | null)[]) => unknown;

/**
 * The backward node of one `autograd.Function.apply` call (PyTorch's PyNode), named
 * `<ClassName>Backward`. It runs the class's `backward` once with one gradient per output of
 * `forward`.
 *
 * Nodes have one output each in this engine. A Function with several differentiable outputs
 * gives each output its own FunctionOutputNode, whose only edge leads here: it puts output k's
 * gradient into slot k of this node (`addOutputGrad`), and the engine runs this node once every
 * edge into it is done, as PyTorch's edges (node, input_nr) would. With one differentiable
 * output (the common case, also values + non-differentiable indices), that output's gradFn is
 * this node itself and its gradient arrives directly.
 */
export class CustomFunctionNode extends Node {
  /** Output k's gradient summed so far in task `slotsTask` (several outputs only). */
  private slots: (Tensor | null)[] | null = null;
  private slotsTask = 0;

  constructor(
    readonly name: string,
    /** One entry per argument of forward: null for non-tensors and tensors that need no grad. */
    readonly next: readonly (Node | null)[],
    /** Shape and dtype of each argument; null for non-tensor arguments. */
    private readonly inputs: readonly (InputMeta | null)[],
    /** Shape and dtype of each output, to materialize missing gradients; null: not a tensor. */
    private readonly outputs: readonly (InputMeta | null)[],
    /** The output whose gradient `apply` receives directly, or -1 (gradients come by slot). */
    readonly directOutput: number,
    private readonly ctx: FunctionCtx,
    private readonly backward: UserBackward,
  ) {
    super();
  }

  /** Output `k`'s gradient, from its FunctionOutputNode, summed within backward run `taskId`. */
  addOutputGrad(taskId: number, k: number, g: Tensor): void {
    if (this.slotsTask !== taskId || this.slots === null) {
      this.slotsTask = taskId;
      this.slots = new Array<Tensor | null>(this.outputs.length).fill(null);
    }
    const cur = this.slots[k]!;
    this.slots[k] = cur === null ? g : cur.add(g);
  }

  apply(grad: Tensor, retainGraph: boolean): (Tensor | null)[] {
    const n = this.outputs.length;
    let grads: (Tensor | null)[];
    if (this.directOutput >= 0) {
      grads = new Array<Tensor | null>(n).fill(null);
      grads[this.directOutput] = grad;
    } else {
      grads = this.slotsTask === this.taskId && this.slots !== null ? this.slots : [];
      grads.length = n;
      this.slots = null;
    }
    const state = ctxState(this.ctx);
    for (let k = 0; k < n; k++) {
      const meta = this.outputs[k]!;
      const g = grads[k] ?? null;
      grads[k] =
        g === null && meta !== null && state.materializeGrads
          ? zeros(meta.shape, { dtype: meta.dtype })
          : g;
    }
    const result = this.backward(this.ctx, ...grads);
    if (!retainGraph && state.saved !== null && state.saved.length > 0) state.saved = null;
    return this.checkGradients(result);
  }

  /** PyNode::apply's and validate_outputs' checks of what `backward` returned. */
  private checkGradients(result: unknown): (Tensor | null)[] {
    let list: unknown[] = Array.isArray(result) ? [...(result as unknown[])] : [result];
    const expected = this.inputs.length;
    // Returning too many results is fine if the extra ones are all null (PyTorch's rule).
    if (list.length > expected && list.slice(expected).every((g) => g === null || g === undefined))
      list = list.slice(0, expected);
    if (list.length !== expected) {
      throw new AutogradError(
        `function ${this.name} returned an incorrect number of gradients (expected ${expected}, got ${list.length})`,
      );
    }
    const out = new Array<Tensor | null>(expected);
    for (let i = 0; i < expected; i++) {
      const g = list[i];
      if (g === null || g === undefined) {
        out[i] = null;
        continue;
      }
      const meta = this.inputs[i]!;
      if (meta === null) {
        throw new AutogradError(
          `function ${this.name} returned a gradient different than None at position ${i + 1}, ` +
            "but the corresponding forward input was not a Variable",
        );
      }
      if (!(g instanceof Tensor))
        throw new AutogradError(`expected Variable or None (got ${pythonTypeName(g)})`);
      out[i] = this.next[i] === null ? null : fitGradient(this.name, i, g, meta);
    }
    return out;
  }
}

/**
 * validate_outputs: a gradient of the input's shape and dtype; a gradient the input broadcasts
 * to is summed down to it (PyTorch's reduce_grad), any other shape is an error.
 */
function fitGradient(name: string, i: number, g: Tensor, meta: InputMeta): Tensor {
  let fitted = g;
  if (!shapesEqual(g.shape, meta.shape)) {
    const lead = g.ndim - meta.shape.length;
    const expandable = lead >= 0 && meta.shape.every((s, d) => s === 1 || s === g.shape[lead + d]);
    if (!expandable) {
      throw new AutogradError(
        `Function ${name} returned an invalid gradient at index ${i} - got ` +
          `${formatShape(g.shape)} but expected shape compatible with ${formatShape(meta.shape)}`,
      );
    }
    const dims: number[] = [];
    for (let d = 0; d < g.ndim; d++)
      if (d < lead || (meta.shape[d - lead] === 1 && g.shape[d] !== 1)) dims.push(d);
    fitted = g.sum({ dim: dims, keepdim: true }).reshape(meta.shape);
  }
  return fitted.dtype === meta.dtype ? fitted : fitted.to(meta.dtype);
}

/**
 * Output k of a custom Function with several differentiable outputs: the gradFn of that output
 * tensor, so that retainGrad, autograd.grad and backward roots see each output apart. Its one
 * edge leads to the Function's node. It puts its gradient into slot k of that node, and sends
 * along the edge only a marker (a 0-d zero, which the engine may sum with other outputs'
 * markers) so that the node runs once every output's edge is done if any output got a
 * gradient: the engine stays single-output and pays nothing for this on its hot path.
 */
export class FunctionOutputNode extends Node {
  readonly name: string;
  readonly next: readonly (Node | null)[];
  constructor(
    readonly owner: CustomFunctionNode,
    readonly outputNr: number,
  ) {
    super();
    this.name = owner.name;
    this.next = [owner];
  }
  apply(grad: Tensor): (Tensor | null)[] {
    // taskId is the running task's: the engine claimed this node before running it.
    this.owner.addOutputGrad(this.taskId, this.outputNr, grad);
    return [(gradientArrived ??= zeros([]))];
  }
}

let gradientArrived: Tensor | null = null;
