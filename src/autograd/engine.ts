import { AutogradError } from "../errors.js";
import type { Tensor } from "../tensor/tensor.js";
import { onesLike } from "../tensor/create.js";
import { setGradEnabled } from "./grad-mode.js";
import { AccumulateGrad, type Node } from "./node.js";

export interface EngineOptions {
  readonly retainGraph: boolean;
  readonly createGraph: boolean;
  /** For autograd.grad: capture gradients at these nodes instead of accumulating into leaves. */
  readonly captureAt?: readonly Node[];
}

/** The edge a tensor's gradient flows into: its gradFn, or its leaf accumulator. */
export function gradientEdge(t: Tensor): Node | null {
  if (!t.requiresGrad) return null;
  return t.gradFn ?? t.gradAccumulator();
}

/** Adds `g` into `leaf.grad`, as AccumulateGrad does. */
function accumulateIntoLeaf(leaf: Tensor, g: Tensor, createGraph: boolean): void {
  if (leaf.grad === null) {
    // Own the gradient: a view (e.g. the expand from sum's backward) must not become `.grad`.
    leaf.grad = createGraph
      ? g
      : g.isContiguous() && g.base === null
        ? g.detach()
        : g.clone().detach();
  } else if (createGraph) {
    leaf.grad = leaf.grad.add(g);
  } else {
    leaf.grad.add_(g);
  }
}

let lastTaskId = 0;

/**
 * One backward run's bookkeeping: the dependency count of each node, the gradient summed so far
 * at each node (both kept on the nodes, under this task's id), and the nodes ready to run. A
 * class rather than closures inside runBackward, so that a backward call (once per training
 * step) builds no functions.
 */
class GraphTask {
  readonly id = ++lastTaskId;
  readonly ready: Node[] = [];
  /** Nodes given a root gradient, in order (the first nodes that may be ready). */
  readonly rootBuffered: Node[] = [];
  /** Null: every reachable node is needed (backward()); else only those marked true. */
  needed: Map<Node, boolean> | null = null;

  constructor(readonly captureSet: ReadonlySet<Node> | null) {}

  /** Claims `node`'s scratch fields for this task (the first time this task sees it). */
  private claim(node: Node): void {
    if (node.taskId === this.id) return;
    node.taskId = this.id;
    node.taskPending = 0;
    node.taskBuffer = null;
  }

  pendingOf(node: Node): number {
    return node.taskId === this.id ? node.taskPending : 0;
  }

  bufferOf(node: Node): Tensor | null {
    return node.taskId === this.id ? node.taskBuffer : null;
  }

  /** Drops the gradient held at `node` (it has been consumed). */
  clearBuffer(node: Node): void {
    if (node.taskId === this.id) node.taskBuffer = null;
  }

  isNeeded(node: Node): boolean {
    return this.needed === null || this.needed.get(node) === true;
  }

  addTo(node: Node, g: Tensor): void {
    this.claim(node);
    const cur = node.taskBuffer;
    node.taskBuffer = cur === null ? g : cur.add(g);
  }

  addPending(node: Node): void {
    this.claim(node);
    node.taskPending++;
  }

  /** One edge into `next` is done; when all are, `next` can be released. */
  finishEdge(next: Node): void {
    this.claim(next);
    const left = --next.taskPending;
    if (left === 0) this.release(next);
  }

  /**
   * A node whose every incoming edge is done runs if some gradient reached it; if none did, its
   * own edges are done too, with nothing to pass on.
   */
  release(node: Node): void {
    if (this.bufferOf(node) !== null) {
      this.ready.push(node);
      return;
    }
    if (this.captureSet?.has(node)) return;
    for (const next of node.next) if (next !== null && this.isNeeded(next)) this.finishEdge(next);
  }

  /** backward(): every reachable node is needed, so one walk counts the edges. */
  countAll(rootNodes: readonly (Node | null)[]): void {
    const id = this.id;
    const stack: Node[] = [];
    for (const node of rootNodes)
      if (node !== null && node.taskId !== id) {
        this.claim(node);
        stack.push(node);
      }
    while (stack.length > 0) {
      const node = stack.pop()!;
      const nexts = node.next;
      for (let i = 0; i < nexts.length; i++) {
        const next = nexts[i]!;
        if (next === null) continue;
        if (next.taskId !== id) {
          this.claim(next);
          stack.push(next);
        }
        next.taskPending++;
      }
    }
  }

  /** autograd.grad(): only the nodes that lead to a captured node, stopping at captured nodes. */
  countNeeded(rootNodes: readonly (Node | null)[], captureSet: ReadonlySet<Node>): void {
    const needed = new Map<Node, boolean>();
    this.needed = needed;
    const visit = (node: Node): boolean => {
      const known = needed.get(node);
      if (known !== undefined) return known;
      needed.set(node, false); // breaks cycles (there are none in a well-formed graph)
      let leads = captureSet.has(node);
      for (const next of node.next) if (next !== null && visit(next)) leads = true;
      needed.set(node, leads);
      return leads;
    };
    // Iterative DFS would avoid deep recursion; graphs here are shallow enough (layers, not steps).
    for (const node of rootNodes) if (node !== null) visit(node);
    for (const [node, leads] of needed) {
      if (!leads || captureSet.has(node)) continue;
      for (const next of node.next) if (next !== null && needed.get(next)) this.addPending(next);
    }
  }
}

/**
 * Runs reverse-mode differentiation from `roots` (with incoming gradients `grads`) in a
 * topological order of the graph. Returns the gradients captured at `captureAt`, if given.
 */
export function runBackward(
  roots: readonly Tensor[],
  grads: readonly Tensor[],
  options: EngineOptions,
): (Tensor | null)[] {
  const capture = options.captureAt;
  const rootNodes: (Node | null)[] = [];
  for (const r of roots) rootNodes.push(gradientEdge(r));
  const captureSet = capture === undefined ? null : new Set(capture);
  const task = new GraphTask(captureSet);
  if (captureSet === null) task.countAll(rootNodes);
  else task.countNeeded(rootNodes, captureSet);
  const { ready, rootBuffered } = task;

  const previous = setGradEnabled(options.createGraph);
  try {
    for (let i = 0; i < roots.length; i++) {
      const node = rootNodes[i];
      if (node === null || node === undefined) continue;
      if (task.bufferOf(node) === null) rootBuffered.push(node);
      task.addTo(node, grads[i]!);
    }
    for (const node of rootBuffered) if (task.pendingOf(node) === 0) ready.push(node);
    while (ready.length > 0) {
      const node = ready.pop()!;
      const g = task.bufferOf(node)!;
      if (!task.isNeeded(node)) continue;
      if (node.retainedBy !== null)
        for (const t of node.retainedBy) accumulateIntoLeaf(t, g, options.createGraph);
      if (captureSet?.has(node)) continue;
      task.clearBuffer(node);
      if (node instanceof AccumulateGrad) {
        if (captureSet === null) accumulateIntoLeaf(node.variable, g, options.createGraph);
        continue;
      }
      const inputGrads = node.apply(g, options.retainGraph);
      const nexts = node.next;
      for (let i = 0; i < nexts.length; i++) {
        const next = nexts[i]!;
        if (next === null || !task.isNeeded(next)) continue;
        const ig = inputGrads[i];
        if (ig !== null && ig !== undefined) task.addTo(next, ig);
        task.finishEdge(next);
      }
    }
  } finally {
    setGradEnabled(previous);
  }
  if (capture === undefined) return [];
  const out = capture.map((node) => task.bufferOf(node));
  // Captured gradients are returned, not kept on the graph.
  for (const node of capture) task.clearBuffer(node);
  return out;
}

/** Checks what tensor.backward() and autograd.grad() are given, with PyTorch's messages. */
export function checkRoots(
  roots: readonly Tensor[],
  grads: readonly (Tensor | null | undefined)[],
): Tensor[] {
  return roots.map((root, i) => {
    if (!root.requiresGrad) {
      throw new AutogradError(
        "element 0 of tensors does not require grad and does not have a grad_fn",
      );
    }
    const g = grads[i];
    if (g === null || g === undefined) {
      if (root.numel() !== 1)
        throw new AutogradError("grad can be implicitly created only for scalar outputs");
      return onesLike(root);
    }
    if (g.shape.length !== root.shape.length || g.shape.some((s, d) => s !== root.shape[d])) {
      throw new AutogradError(
        `Mismatch in shape: grad_output[${i}] has a shape of [${g.shape.join(", ")}] and output[${i}] has a shape of [${root.shape.join(", ")}].`,
      );
    }
    return g;
  });
}
