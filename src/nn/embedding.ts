/** The Embedding layer. */
import { checkDevice, type DeviceLike } from "../tensor/device.js";
import { noGrad } from "../autograd/grad-mode.js";
import { ValueError } from "../errors.js";
import { empty } from "../tensor/create.js";
import type { DTypeLike } from "../tensor/dtype.js";
import type { Tensor } from "../tensor/tensor.js";
import { embedding } from "./functional/layers.js";
import { normal_ } from "./init.js";
import { Module } from "./module.js";
import { Parameter } from "./parameter.js";

/**
 * A lookup table of `numEmbeddings` vectors of size `embeddingDim` (torch.nn.Embedding),
 * initialised from N(0, 1). The `paddingIdx` row starts at zero and gets no gradient.
 *
 * @example
 * const emb = new nn.Embedding(100, 16, { paddingIdx: 0 });
 * emb.forward(torch.tensor([[1, 2, 0]])).shape; // [1, 3, 16]
 */
export class Embedding extends Module {
  weight: Parameter;
  readonly paddingIdx: number | null;

  constructor(
    readonly numEmbeddings: number,
    readonly embeddingDim: number,
    options: { paddingIdx?: number | null; dtype?: DTypeLike; device?: DeviceLike } = {},
  ) {
    super();
    let pad = options.paddingIdx ?? null;
    if (pad !== null) {
      if (pad >= numEmbeddings || pad < -numEmbeddings) {
        throw new ValueError("Padding_idx must be within num_embeddings");
      }
      if (pad < 0) pad += numEmbeddings;
    }
    this.paddingIdx = pad;
    // Parameters are made on the CPU, the only device; one that does not exist is refused.
    if (options.device !== undefined) checkDevice(options.device);
    this.weight = new Parameter(
      empty([numEmbeddings, embeddingDim], { dtype: options.dtype ?? "float32" }),
    );
    this.resetParameters();
  }

  /** Redraws the weights from N(0, 1) and zeroes the padding row. */
  resetParameters(): void {
    normal_(this.weight);
    if (this.paddingIdx !== null) {
      const row = this.paddingIdx;
      noGrad(() => this.weight.select(0, row).fill_(0));
    }
  }

  forward(indices: Tensor): Tensor {
    return embedding(indices, this.weight, { paddingIdx: this.paddingIdx });
  }

  override extraRepr(): string {
    const pad = this.paddingIdx === null ? "" : `, padding_idx=${this.paddingIdx}`;
    return `${this.numEmbeddings}, ${this.embeddingDim}${pad}`;
  }
}
