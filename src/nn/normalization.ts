import { sizeList } from "../tensor/shape.js";
/** LayerNorm, BatchNorm1d and BatchNorm2d. */
import { checkDevice, type DeviceLike } from "../tensor/device.js";
import { noGrad } from "../autograd/grad-mode.js";
import { ShapeError, ValueError } from "../errors.js";
import { ones, tensor, zeros } from "../tensor/create.js";
import type { DTypeLike } from "../tensor/dtype.js";
import type { Tensor } from "../tensor/tensor.js";
import { batchNorm, layerNorm } from "./functional/layers.js";
import { Module } from "./module.js";
import { Parameter } from "./parameter.js";
import { pyBool, pyFloat, pyTuple } from "./repr.js";

/**
 * Normalises over the trailing `normalizedShape` dims, then applies a learned elementwise
 * scale and shift (torch.nn.LayerNorm).
 *
 * @example
 * const ln = new nn.LayerNorm(8); // or new nn.LayerNorm([4, 8])
 */
export class LayerNorm extends Module {
  readonly normalizedShape: readonly number[];
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(
    normalizedShape: number | readonly number[],
    readonly options: {
      eps?: number;
      elementwiseAffine?: boolean;
      bias?: boolean;
      dtype?: DTypeLike;
      device?: DeviceLike;
    } = {},
  ) {
    super();
    this.normalizedShape = sizeList(normalizedShape, "LayerNorm");
    const affine = options.elementwiseAffine ?? true;
    const dtype = options.dtype ?? "float32";
    // Parameters are made on the CPU, the only device; one that does not exist is refused.
    if (options.device !== undefined) checkDevice(options.device);
    this.weight = affine ? new Parameter(ones(this.normalizedShape, { dtype })) : null;
    this.bias =
      affine && (options.bias ?? true)
        ? new Parameter(zeros(this.normalizedShape, { dtype }))
        : null;
  }

  get eps(): number {
    return this.options.eps ?? 1e-5;
  }

  forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, {
      weight: this.weight,
      bias: this.bias,
      eps: this.eps,
    });
  }

  override extraRepr(): string {
    const affine = this.options.elementwiseAffine ?? true;
    return `${pyTuple(this.normalizedShape)}, eps=${pyFloat(this.eps)}, elementwise_affine=${pyBool(affine)}`;
  }
}

/** Options of BatchNorm1d/BatchNorm2d (PyTorch's defaults). */
export interface BatchNormModuleOptions {
  eps?: number;
  /** Weight of each new batch in the running stats; null: a cumulative average. */
  momentum?: number | null;
  affine?: boolean;
  trackRunningStats?: boolean;
  dtype?: DTypeLike;
  device?: DeviceLike;
}

/**
 * What BatchNorm1d and BatchNorm2d share (torch.nn.modules.batchnorm._BatchNorm): the
 * parameters, PyTorch's buffers, the running-stat update and the printed form; a subclass only
 * says which input ranks it takes.
 *
 * @example
 * const bn = new torch.nn.BatchNorm1d(8); // a BatchNormBase
 */
export abstract class BatchNormBase extends Module {
  weight: Parameter | null;
  bias: Parameter | null;
  declare running_mean: Tensor | null;
  declare running_var: Tensor | null;
  declare num_batches_tracked: Tensor | null;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;

  constructor(
    readonly numFeatures: number,
    options: BatchNormModuleOptions = {},
  ) {
    super();
    this.eps = options.eps ?? 1e-5;
    this.momentum = options.momentum === undefined ? 0.1 : options.momentum;
    this.affine = options.affine ?? true;
    this.trackRunningStats = options.trackRunningStats ?? true;
    const dtype = options.dtype ?? "float32";
    // Parameters are made on the CPU, the only device; one that does not exist is refused.
    if (options.device !== undefined) checkDevice(options.device);
    this.weight = this.affine ? new Parameter(ones([numFeatures], { dtype })) : null;
    this.bias = this.affine ? new Parameter(zeros([numFeatures], { dtype })) : null;
    const track = this.trackRunningStats;
    // PyTorch's buffer names, so state dicts load in both directions.
    this.registerBuffer("running_mean", track ? zeros([numFeatures], { dtype }) : null);
    this.registerBuffer("running_var", track ? ones([numFeatures], { dtype }) : null);
    this.registerBuffer("num_batches_tracked", track ? tensor(0, { dtype: "int32" }) : null);
  }

  // Each buffer under PyTorch's name (the state-dict key) and its camelCase name, both readable
  // and assignable: `bn.runningMean` and `bn.running_mean` are the same slot.

  /** The running mean (the `running_mean` buffer). */
  get runningMean(): Tensor | null {
    return this.running_mean;
  }

  set runningMean(value: Tensor | null) {
    this.running_mean = value;
  }

  /** The running variance (the `running_var` buffer). */
  get runningVar(): Tensor | null {
    return this.running_var;
  }

  set runningVar(value: Tensor | null) {
    this.running_var = value;
  }

  /** How many training batches updated the running stats (the `num_batches_tracked` buffer). */
  get numBatchesTracked(): Tensor | null {
    return this.num_batches_tracked;
  }

  set numBatchesTracked(value: Tensor | null) {
    this.num_batches_tracked = value;
  }

  /** Throws PyTorch's ValueError for an input of the wrong rank. */
  protected abstract checkInputDim(x: Tensor): void;

  forward(x: Tensor): Tensor {
    this.checkInputDim(x);
    if (x.shape[1] !== this.numFeatures) {
      throw new ShapeError(
        `running_mean should contain ${x.shape[1]} elements not ${this.numFeatures}`,
      );
    }
    const useBatchStats = this.training || this.running_mean === null;
    let count = 0;
    if (this.training && this.num_batches_tracked !== null) {
      noGrad(() => this.num_batches_tracked!.add_(1));
      count = this.num_batches_tracked.item();
    }
    return batchNorm(
      x,
      !this.training || this.trackRunningStats ? this.running_mean : null,
      !this.training || this.trackRunningStats ? this.running_var : null,
      {
        weight: this.weight,
        bias: this.bias,
        training: useBatchStats,
        momentum: this.momentum,
        eps: this.eps,
        numBatchesTracked: count,
      },
    );
  }

  override extraRepr(): string {
    const momentum = this.momentum === null ? "None" : pyFloat(this.momentum);
    return (
      `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${momentum}, ` +
      `affine=${pyBool(this.affine)}, track_running_stats=${pyBool(this.trackRunningStats)}`
    );
  }
}

/**
 * Batch normalisation of [N, C] or [N, C, L] over the batch (and length) per channel
 * (torch.nn.BatchNorm1d). Training normalises with batch statistics and updates the running
 * mean and (unbiased) variance; eval uses the running ones. Its state dict holds weight, bias,
 * running_mean, running_var and num_batches_tracked, as PyTorch's.
 *
 * @example
 * const bn = new nn.BatchNorm1d(16);
 * bn.forward(x); bn.eval(); bn.forward(x);
 */
export class BatchNorm1d extends BatchNormBase {
  protected checkInputDim(x: Tensor): void {
    if (x.ndim !== 2 && x.ndim !== 3) {
      throw new ValueError(`expected 2D or 3D input (got ${x.ndim}D input)`);
    }
  }
}

/**
 * Batch normalisation of [N, C, H, W] per channel over N, H and W (torch.nn.BatchNorm2d), with
 * BatchNorm1d's running statistics, momentum (null: cumulative average) and state dict.
 *
 * @example
 * const bn = new nn.BatchNorm2d(32);
 * bn.forward(torch.randn([8, 32, 14, 14])).shape; // [8, 32, 14, 14]
 */
export class BatchNorm2d extends BatchNormBase {
  protected checkInputDim(x: Tensor): void {
    if (x.ndim !== 4) throw new ValueError(`expected 4D input (got ${x.ndim}D input)`);
  }
}
