import { AccumulateGrad, type Node } from "../autograd/node.js";
import { checkRoots, runBackward } from "../autograd/engine.js";
import { isInferenceModeEnabled } from "../autograd/grad-mode.js";
import { AutogradError, ValueError } from "../errors.js";
import type { StridedView } from "../backend/backend.js";
import { getBackend } from "../backend/registry.js";
import {
  allocate,
  isFloatingPoint,
  type DType,
  type TypedArray,
  type TypedArrayOf,
} from "./dtype.js";
import { contiguousStrides, isContiguous, normalizeDim, numel, type Shape } from "./shape.js";
import type { Device } from "./device.js";
import { Storage } from "./storage.js";
import { formatTensor, inspectCustom } from "./format.js";

/** Nested arrays of numbers or booleans, as `tolist()` returns and `tensor()` accepts. */
export type NestedArray<T> = T | NestedArray<T>[];

/** Options of `backward`. */
export interface BackwardOptions {
  /** Keep the graph's saved tensors so that backward can run through it again. */
  retainGraph?: boolean;
  /** Record the backward pass itself, for higher-order gradients. */
  createGraph?: boolean;
}

/**
 * A multi-dimensional array with autograd, PyTorch's `torch.Tensor`. Storage is an ordinary
 * typed array owned by the garbage collector: nothing needs disposing. Ops are available as
 * methods (`x.add(y)`) and as free functions (`torch.add(x, y)`).
 *
 * @example
 * const x = torch.tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * x.mul(x).sum().backward(); // x.grad is 2 * x
 */
export class Tensor {
  /** The backward node that made this tensor, or null for a leaf. */
  gradFn: Node | null = null;
  /** The accumulated gradient (leaves, and non-leaves after retainGrad()). */
  grad: Tensor | null = null;
  private leafRequiresGrad = false;
  private accumulator: AccumulateGrad | null = null;
  private cachedView: StridedView | null = null;

  /** @internal Build tensors with the factories (`torch.tensor`, `torch.zeros`, ...). */
  constructor(
    readonly storage: Storage,
    readonly shape: Shape,
    readonly strides: readonly number[],
    readonly offset: number,
    /** The tensor whose storage this view shares, or null if this tensor owns it. */
    readonly base: Tensor | null = null,
  ) {}

  /** @internal A new contiguous tensor over `data`. */
  static fromData(data: TypedArray, shape: Shape): Tensor {
    return new Tensor(new Storage(data), shape, contiguousStrides(shape), 0);
  }

  /** The element type ("float32", "int64", ...). @example torch.zeros([2]).dtype // "float32" */
  get dtype(): DType {
    return this.storage.dtype;
  }

  /**
   * Where the elements live: `device(type='cpu')` (torch.Tensor.device).
   *
   * @example
   * x.device.type // "cpu"
   */
  get device(): Device {
    return this.storage.device;
  }

  /**
   * Whether the tensor is on a CUDA device: never, in torchlet (torch.Tensor.is_cuda).
   *
   * @example
   * x.isCuda // false
   */
  get isCuda(): boolean {
    return false;
  }

  /** Number of dimensions. @example torch.zeros([2, 3]).ndim // 2 */
  get ndim(): number {
    return this.shape.length;
  }

  /** Number of dimensions (torch.Tensor.dim). @example torch.zeros([2, 3]).dim() // 2 */
  dim(): number {
    return this.shape.length;
  }

  /**
   * The shape, or the size of one dim (negative dims count from the end).
   *
   * @example
   * torch.zeros([2, 3]).size() // [2, 3]; .size(1) is 3
   */
  size(): Shape;
  size(dim: number): number;
  size(dim?: number): Shape | number {
    return dim === undefined ? this.shape : this.shape[normalizeDim(dim, this.ndim)]!;
  }

  /**
   * Stride of every dim, or of one dim, in elements.
   *
   * @example
   * torch.zeros([2, 3]).stride() // [3, 1]
   */
  stride(): readonly number[];
  stride(dim: number): number;
  stride(dim?: number): readonly number[] | number {
    return dim === undefined ? this.strides : this.strides[normalizeDim(dim, this.ndim)]!;
  }

  /** The number of elements (torch.numel). @example torch.zeros([2, 3]).numel() // 6 */
  numel(): number {
    return numel(this.shape);
  }

  /**
   * Row-major without gaps (torch.Tensor.is_contiguous).
   *
   * @example
   * x.t().isContiguous() // false for a 2-D x
   */
  isContiguous(): boolean {
    return isContiguous(this.shape, this.strides);
  }

  /**
   * How many in-place writes the storage has seen (torch.Tensor._version).
   *
   * @example
   * x.version // grows by one with each in-place change
   */
  get version(): number {
    return this.storage.version;
  }

  /** @internal Marks an in-place write, for autograd's saved-tensor checks. */
  bumpVersion(): void {
    this.storage.version++;
  }

  /**
   * @internal What kernels see. Built once and reused (every op asks for it); rebuilt if
   * Parameter.setData_ has pointed the tensor at other memory.
   */
  view_(): StridedView {
    const v = this.cachedView;
    if (
      v !== null &&
      v.data === this.storage.data &&
      v.shape === this.shape &&
      v.strides === this.strides &&
      v.offset === this.offset
    )
      return v;
    return (this.cachedView = {
      data: this.storage.data,
      shape: this.shape,
      strides: this.strides,
      offset: this.offset,
    });
  }

  // ---- autograd -----------------------------------------------------------------------------

  /**
   * Whether gradients flow to this tensor. Settable on leaves only, as in PyTorch.
   *
   * @example
   * torch.randn([2], { requiresGrad: true }).requiresGrad // true
   */
  get requiresGrad(): boolean {
    return this.leafRequiresGrad || this.gradFn !== null;
  }

  set requiresGrad(value: boolean) {
    this.requiresGrad_(value);
  }

  /**
   * A leaf is a tensor no recorded op made: user-created tensors and parameters.
   *
   * @example
   * torch.randn([2], { requiresGrad: true }).isLeaf // true
   */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /**
   * Whether this tensor was made inside torch.inferenceMode (torch.Tensor.is_inference).
   *
   * @example
   * torch.inferenceMode(() => torch.ones(2)).isInference(); // true
   */
  isInference(): boolean {
    return this.storage.inference;
  }

  /**
   * Sets requiresGrad in place and returns this tensor (torch.Tensor.requires_grad_).
   *
   * @example
   * const w = torch.randn([3]).requiresGrad_()
   */
  requiresGrad_(requiresGrad = true): this {
    if (requiresGrad && this.storage.inference && !isInferenceModeEnabled()) {
      throw new AutogradError(
        "Setting requires_grad=True on inference tensor outside InferenceMode is not allowed.",
      );
    }
    if (!this.isLeaf) {
      if (!requiresGrad) {
        throw new AutogradError(
          "you can only change requires_grad flags of leaf variables. If you want to use a computed " +
            "variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().",
        );
      }
      return this;
    }
    if (requiresGrad && !isFloatingPoint(this.dtype)) {
      throw new AutogradError(
        `only Tensors of floating point dtype can require gradients (got ${this.dtype})`,
      );
    }
    this.leafRequiresGrad = requiresGrad;
    return this;
  }

  /** @internal The node that adds into this leaf's `.grad`, one per tensor. */
  gradAccumulator(): AccumulateGrad {
    return (this.accumulator ??= new AccumulateGrad(this));
  }

  /**
   * Asks that this non-leaf tensor's `.grad` be filled by backward (torch.Tensor.retain_grad).
   *
   * @example
   * h.retainGrad(); loss.backward(); h.grad
   */
  retainGrad(): void {
    if (!this.requiresGrad) {
      throw new AutogradError("can't retain_grad on Tensor that has requires_grad=False");
    }
    if (this.isLeaf) return;
    const node = this.gradFn!;
    node.retainedBy ??= [];
    if (!node.retainedBy.includes(this)) node.retainedBy.push(this);
  }

  /**
   * Whether backward fills this non-leaf tensor's `.grad`.
   *
   * @example
   * h.retainsGrad // true after h.retainGrad()
   */
  get retainsGrad(): boolean {
    return !this.isLeaf && (this.gradFn!.retainedBy?.includes(this) ?? false);
  }

  /**
   * A tensor sharing this one's storage, cut from the graph (torch.Tensor.detach).
   *
   * @example
   * const target = y.detach() // no gradient flows back
   */
  detach(): Tensor {
    return new Tensor(this.storage, this.shape, this.strides, this.offset, this.base ?? this);
  }

  /**
   * Computes the gradient of this tensor with respect to the graph leaves and adds it to their
   * `.grad`. A non-scalar tensor needs `gradient`, the gradient of some scalar with respect to it.
   *
   * @example
   * const loss = model(x).sub(y).pow(2).mean();
   * loss.backward();
   */
  backward(gradient?: Tensor | null, options: BackwardOptions = {}): void {
    const grads = checkRoots([this], [gradient]);
    const createGraph = options.createGraph ?? false;
    runBackward([this], grads, { retainGraph: options.retainGraph ?? createGraph, createGraph });
  }

  // ---- reading values -------------------------------------------------------------------------

  /**
   * The value of a one-element tensor as a JavaScript number (booleans as 0/1 numbers too).
   *
   * @example
   * const value = loss.item()
   */
  item(): number {
    if (this.numel() !== 1) {
      throw new ValueError(`a Tensor with ${this.numel()} elements cannot be converted to Scalar`);
    }
    return this.storage.data[this.offset]!;
  }

  /**
   * A contiguous copy of the elements in row-major order, as this dtype's typed array.
   *
   * @example
   * const values = x.toArray()
   */
  toArray(): TypedArray {
    if (this.isContiguous()) {
      const n = this.numel();
      return this.storage.data.slice(this.offset, this.offset + n);
    }
    const out = allocate(this.dtype, this.numel());
    getBackend().copy(this.view_(), {
      data: out,
      shape: this.shape,
      strides: contiguousStrides(this.shape),
      offset: 0,
    });
    return out;
  }

  /**
   * The elements as a typed array, asynchronously: the form that works on every backend,
   * including ones whose memory lives on a GPU.
   *
   * @example
   * const values = await x.data() // a typed array
   */
  async data(): Promise<TypedArray> {
    return this.toArray();
  }

  /**
   * The elements as a typed array, synchronously (CPU backends).
   *
   * @example
   * const values = x.dataSync() // a typed array, row-major
   */
  dataSync(): TypedArray {
    return this.toArray();
  }

  /**
   * Nested JavaScript arrays of the values (a number for a 0-d tensor; booleans for bool).
   *
   * @example
   * torch.tensor([[1, 2]]).tolist() // [[1, 2]]
   */
  tolist(): NestedArray<number | boolean> {
    const flat = this.toArray();
    const isBool = this.dtype === "bool";
    let pos = 0;
    const build = (d: number): NestedArray<number | boolean> => {
      if (d === this.ndim) {
        const v = flat[pos++]!;
        return isBool ? v !== 0 : v;
      }
      const out: NestedArray<number | boolean>[] = [];
      for (let i = 0; i < this.shape[d]!; i++) out.push(build(d + 1));
      return out;
    };
    return build(0);
  }

  /**
   * PyTorch's printed form, e.g. `tensor([[0.1000, 0.2000]], requires_grad=True)`; template
   * strings (`${t}`) print it too. See torch.setPrintoptions.
   *
   * @example
   * console.log(`${x}`)
   */
  toString(): string {
    return formatTensor(this);
  }

  /** What console.log and util.inspect print: the repr, not the fields. */
  [inspectCustom](): string {
    return this.toString();
  }

  /** @internal Typed access for kernels that know the dtype. */
  typedData<D extends DType>(_dtype: D): TypedArrayOf[D] {
    return this.storage.data as TypedArrayOf[D];
  }
}
