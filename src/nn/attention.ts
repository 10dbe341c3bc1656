/** nn.MultiheadAttention (torch.nn.MultiheadAttention, PyTorch 1.13). */
import { noGrad } from "../autograd/grad-mode.js";
import { ValueError } from "../errors.js";
import { empty } from "../tensor/create.js";
import type { DTypeLike } from "../tensor/dtype.js";
import type { Tensor } from "../tensor/tensor.js";
import { multiHeadAttentionForward, type MHAForwardOptions } from "./functional/attention.js";
import { constant_, xavierNormal_, xavierUniform_ } from "./init.js";
import { Linear } from "./linear.js";
import { Module } from "./module.js";
import { Parameter } from "./parameter.js";

/** Constructor options of nn.MultiheadAttention, PyTorch's keywords in camelCase. */
export interface MultiheadAttentionOptions {
  /** Dropout on the attention weights in training (default 0). */
  dropout?: number;
  /** Biases of the in- and out-projections (default true). */
  bias?: boolean;
  /** Learnt key and value rows appended to every sequence (`bias_k`, `bias_v`). */
  addBiasKV?: boolean;
  /** A zero key and value appended to every sequence. */
  addZeroAttn?: boolean;
  /** Feature size of the key (default embedDim); separate projections when it differs. */
  kdim?: number | null;
  /** Feature size of the value (default embedDim). */
  vdim?: number | null;
  /** Inputs and output as [N, L, E] rather than PyTorch's default [L, N, E]. */
  batchFirst?: boolean;
  dtype?: DTypeLike;
}

/**
 * Multi-head attention (torch.nn.MultiheadAttention): projects query, key and value, runs
 * scaled dot-product attention per head and projects the result. Parameters under PyTorch's
 * names (`in_proj_weight`, `in_proj_bias`, `out_proj.weight`, or `q_proj_weight`,
 * `k_proj_weight`, `v_proj_weight` when kdim/vdim differ, `bias_k`, `bias_v`) and init (the
 * out-projection as a Linear, then xavier_uniform_ in-projections and zero biases), so a PyTorch
 * state dict loads and `manualSeed` gives PyTorch's weights. Bool attention masks follow 1.13:
 * true marks a position that may NOT be attended.
 *
 * @example
 * const mha = new nn.MultiheadAttention(16, 4, { batchFirst: true });
 * const [out, weights] = mha.forward(x, x, x, { needWeights: true }); // x [N, L, 16]
 */
export class MultiheadAttention extends Module {
  // Declared in PyTorch's registration order, which is the state dict's.
  q_proj_weight: Parameter | null = null;
  k_proj_weight: Parameter | null = null;
  v_proj_weight: Parameter | null = null;
  in_proj_weight: Parameter | null = null;
  in_proj_bias: Parameter | null = null;
  bias_k: Parameter | null = null;
  bias_v: Parameter | null = null;
  out_proj: Linear;
  readonly kdim: number;
  readonly vdim: number;
  readonly headDim: number;
  readonly dropout: number;
  readonly batchFirst: boolean;
  readonly addZeroAttn: boolean;

  constructor(
    readonly embedDim: number,
    readonly numHeads: number,
    options: MultiheadAttentionOptions = {},
  ) {
    super();
    const dtype = options.dtype ?? "float32";
    this.kdim = options.kdim ?? embedDim;
    this.vdim = options.vdim ?? embedDim;
    this.dropout = options.dropout ?? 0;
    this.batchFirst = options.batchFirst ?? false;
    this.addZeroAttn = options.addZeroAttn ?? false;
    this.headDim = Math.floor(embedDim / numHeads);
    if (this.headDim * numHeads !== embedDim) {
      throw new ValueError("embed_dim must be divisible by num_heads");
    }
    if (!this.sameEmbedDim) {
      this.q_proj_weight = new Parameter(empty([embedDim, embedDim], { dtype }));
      this.k_proj_weight = new Parameter(empty([embedDim, this.kdim], { dtype }));
      this.v_proj_weight = new Parameter(empty([embedDim, this.vdim], { dtype }));
    } else {
      this.in_proj_weight = new Parameter(empty([3 * embedDim, embedDim], { dtype }));
    }
    const bias = options.bias ?? true;
    if (bias) this.in_proj_bias = new Parameter(empty([3 * embedDim], { dtype }));
    // PyTorch draws the out-projection's Linear init here, before _reset_parameters.
    this.out_proj = new Linear(embedDim, embedDim, { bias, dtype });
    if (options.addBiasKV) {
      this.bias_k = new Parameter(empty([1, 1, embedDim], { dtype }));
      this.bias_v = new Parameter(empty([1, 1, embedDim], { dtype }));
    }
    this.resetParameters();
  }

  /** Whether q, k and v share one packed projection (kdim = vdim = embedDim). */
  get sameEmbedDim(): boolean {
    return this.kdim === this.embedDim && this.vdim === this.embedDim;
  }

  /** PyTorch's _reset_parameters, in its order of draws. */
  resetParameters(): void {
    noGrad(() => {
      if (this.in_proj_weight) xavierUniform_(this.in_proj_weight);
      else
        for (const w of [this.q_proj_weight, this.k_proj_weight, this.v_proj_weight])
          xavierUniform_(w!);
      if (this.in_proj_bias) {
        constant_(this.in_proj_bias, 0);
        constant_(this.out_proj.bias!, 0);
      }
      if (this.bias_k) xavierNormal_(this.bias_k);
      if (this.bias_v) xavierNormal_(this.bias_v);
    });
  }

  /**
   * Attention of `query` over `key`/`value`: [L, N, E] (or [N, L, E] with batchFirst, or
   * unbatched [L, E]). Returns [output, weights]: weights [N, L, S] averaged over heads (or
   * [N, heads, L, S]), null when `needWeights` is false.
   */
  forward(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    options: MHAForwardOptions = {},
  ): [Tensor, Tensor | null] {
    const batched = query.ndim === 3;
    if (this.batchFirst && batched) {
      // Keep identities (self-attention packs one projection), as PyTorch does.
      if (key === value) {
        if (query === key) query = key = value = query.transpose(1, 0);
        else {
          query = query.transpose(1, 0);
          key = value = key.transpose(1, 0);
        }
      } else {
        [query, key, value] = [query, key, value].map((t) => t.transpose(1, 0)) as [
          Tensor,
          Tensor,
          Tensor,
        ];
      }
    }
    const [out, weights] = multiHeadAttentionForward(
      query,
      key,
      value,
      {
        embedDim: this.embedDim,
        numHeads: this.numHeads,
        inProjWeight: this.in_proj_weight,
        inProjBias: this.in_proj_bias,
        biasK: this.bias_k,
        biasV: this.bias_v,
        addZeroAttn: this.addZeroAttn,
        dropoutP: this.dropout,
        outProjWeight: this.out_proj.weight,
        outProjBias: this.out_proj.bias,
        qProjWeight: this.q_proj_weight,
        kProjWeight: this.k_proj_weight,
        vProjWeight: this.v_proj_weight,
      },
      this.training,
      options,
    );
    return [this.batchFirst && batched ? out.transpose(1, 0) : out, weights];
  }
}
