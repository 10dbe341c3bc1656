/**
 * The transformer layers of torch.nn (PyTorch 1.13's transformer.py): encoder and decoder
 * layers, their stacks, and the full encoder-decoder Transformer.
 */
import { noGrad } from "../autograd/grad-mode.js";
import { ValueError } from "../errors.js";
import { relu } from "../ops/unary.js";
import { gelu } from "../ops/activation.js";
import { full } from "../tensor/create.js";
import type { DTypeLike } from "../tensor/dtype.js";
import type { Tensor } from "../tensor/tensor.js";
import { MultiheadAttention } from "./attention.js";
import { deepcopy } from "./clone.js";
import { ModuleList } from "./containers.js";
import { Dropout } from "./dropout.js";
import { xavierUniform_ } from "./init.js";
import { Linear } from "./linear.js";
import { Module } from "./module.js";
import { LayerNorm } from "./normalization.js";

/** An activation by PyTorch's name or as a function (F.relu, F.gelu, or any tensor map). */
export type Activation = "relu" | "gelu" | ((x: Tensor) => Tensor);

/** Constructor options shared by the transformer layers (PyTorch's keywords, camelCase). */
export interface TransformerLayerOptions {
  dimFeedforward?: number;
  dropout?: number;
  activation?: Activation;
  layerNormEps?: number;
  batchFirst?: boolean;
  normFirst?: boolean;
  dtype?: DTypeLike;
}

function activationFn(a: Activation): (x: Tensor) => Tensor {
  if (typeof a === "function") return a;
  if (a === "relu") return relu;
  if (a === "gelu") return (x) => gelu(x);
  throw new ValueError(`activation should be relu/gelu, not ${String(a)}`);
}

/** Forward options of TransformerEncoderLayer / TransformerEncoder. */
export interface EncoderForwardOptions {
  /** [L, L] or [N·heads, L, L] attention mask (bool true = masked, or float added). */
  srcMask?: Tensor | null;
  /** Shape [N, L]; true marks the padding positions. */
  srcKeyPaddingMask?: Tensor | null;
  /** With no srcMask, a causal mask (PyTorch 2's hint; 1.13 has no such argument). */
  isCausal?: boolean;
}

/** The position-wise MLP, linear2(dropout(act(linear1(x)))), shared by both layer kinds. */
abstract class FeedForwardLayer extends Module {
  abstract linear1: Linear;
  abstract dropout: Dropout;
  abstract linear2: Linear;
  protected abstract act: (x: Tensor) => Tensor;

  protected ffBlock(x: Tensor, out: Dropout): Tensor {
    const h = this.linear1.forward(x);
    return out.forward(this.linear2.forward(this.dropout.forward(this.act(h))));
  }
}

/**
 * Self-attention then a feed-forward block, each with a residual and LayerNorm (after, or
 * before with `normFirst`) (torch.nn.TransformerEncoderLayer). PyTorch's parameter names:
 * `self_attn.in_proj_weight`, `linear1.weight`, `norm1.weight`, ...
 *
 * @example
 * const layer = new nn.TransformerEncoderLayer(16, 4, { dimFeedforward: 32, normFirst: true });
 * const y = layer.forward(x, { srcMask }); // x [L, N, 16]
 */
export class TransformerEncoderLayer extends FeedForwardLayer {
  self_attn: MultiheadAttention;
  linear1: Linear;
  dropout: Dropout;
  linear2: Linear;
  norm1: LayerNorm;
  norm2: LayerNorm;
  dropout1: Dropout;
  dropout2: Dropout;
  readonly normFirst: boolean;
  protected act: (x: Tensor) => Tensor;

  constructor(dModel: number, nhead: number, options: TransformerLayerOptions = {}) {
    super();
    const { dtype = "float32", dropout = 0.1, layerNormEps: eps = 1e-5 } = options;
    this.self_attn = new MultiheadAttention(dModel, nhead, {
      dropout,
      batchFirst: options.batchFirst ?? false,
      dtype,
    });
    this.linear1 = new Linear(dModel, options.dimFeedforward ?? 2048, { dtype });
    this.dropout = new Dropout(dropout);
    this.linear2 = new Linear(options.dimFeedforward ?? 2048, dModel, { dtype });
    this.normFirst = options.normFirst ?? false;
    this.norm1 = new LayerNorm(dModel, { eps, dtype });
    this.norm2 = new LayerNorm(dModel, { eps, dtype });
    this.dropout1 = new Dropout(dropout);
    this.dropout2 = new Dropout(dropout);
    this.act = activationFn(options.activation ?? "relu");
  }

  private saBlock(x: Tensor, options: EncoderForwardOptions): Tensor {
    const [y] = this.self_attn.forward(x, x, x, {
      attnMask: options.srcMask ?? null,
      keyPaddingMask: options.srcKeyPaddingMask ?? null,
      needWeights: false,
      isCausal: options.isCausal ?? false,
    });
    return this.dropout1.forward(y);
  }

  forward(src: Tensor, options: EncoderForwardOptions = {}): Tensor {
    let x = src;
    if (this.normFirst) {
      x = x.add(this.saBlock(this.norm1.forward(x), options));
      return x.add(this.ffBlock(this.norm2.forward(x), this.dropout2));
    }
    x = this.norm1.forward(x.add(this.saBlock(x, options)));
    return this.norm2.forward(x.add(this.ffBlock(x, this.dropout2)));
  }
}

/** Forward options of TransformerDecoderLayer / TransformerDecoder. */
export interface DecoderForwardOptions {
  tgtMask?: Tensor | null;
  memoryMask?: Tensor | null;
  tgtKeyPaddingMask?: Tensor | null;
  memoryKeyPaddingMask?: Tensor | null;
  /** With no tgtMask, a causal mask on the target's self-attention. */
  tgtIsCausal?: boolean;
}

/**
 * Self-attention, attention over the encoder's memory, then a feed-forward block, each with a
 * residual and LayerNorm (torch.nn.TransformerDecoderLayer).
 *
 * @example
 * const layer = new nn.TransformerDecoderLayer(16, 4, { dimFeedforward: 32 });
 * const y = layer.forward(tgt, memory, { tgtMask });
 */
export class TransformerDecoderLayer extends FeedForwardLayer {
  self_attn: MultiheadAttention;
  multihead_attn: MultiheadAttention;
  linear1: Linear;
  dropout: Dropout;
  linear2: Linear;
  norm1: LayerNorm;
  norm2: LayerNorm;
  norm3: LayerNorm;
  dropout1: Dropout;
  dropout2: Dropout;
  dropout3: Dropout;
  readonly normFirst: boolean;
  protected act: (x: Tensor) => Tensor;

  constructor(dModel: number, nhead: number, options: TransformerLayerOptions = {}) {
    super();
    const { dtype = "float32", dropout = 0.1, layerNormEps: eps = 1e-5 } = options;
    const batchFirst = options.batchFirst ?? false;
    this.self_attn = new MultiheadAttention(dModel, nhead, { dropout, batchFirst, dtype });
    this.multihead_attn = new MultiheadAttention(dModel, nhead, { dropout, batchFirst, dtype });
    this.linear1 = new Linear(dModel, options.dimFeedforward ?? 2048, { dtype });
    this.dropout = new Dropout(dropout);
    this.linear2 = new Linear(options.dimFeedforward ?? 2048, dModel, { dtype });
    this.normFirst = options.normFirst ?? false;
    this.norm1 = new LayerNorm(dModel, { eps, dtype });
    this.norm2 = new LayerNorm(dModel, { eps, dtype });
    this.norm3 = new LayerNorm(dModel, { eps, dtype });
    this.dropout1 = new Dropout(dropout);
    this.dropout2 = new Dropout(dropout);
    this.dropout3 = new Dropout(dropout);
    this.act = activationFn(options.activation ?? "relu");
  }

  private saBlock(x: Tensor, o: DecoderForwardOptions): Tensor {
    const [y] = this.self_attn.forward(x, x, x, {
      attnMask: o.tgtMask ?? null,
      keyPaddingMask: o.tgtKeyPaddingMask ?? null,
      needWeights: false,
      isCausal: o.tgtIsCausal ?? false,
    });
    return this.dropout1.forward(y);
  }

  private mhaBlock(x: Tensor, mem: Tensor, o: DecoderForwardOptions): Tensor {
    const [y] = this.multihead_attn.forward(x, mem, mem, {
      attnMask: o.memoryMask ?? null,
      keyPaddingMask: o.memoryKeyPaddingMask ?? null,
      needWeights: false,
    });
    return this.dropout2.forward(y);
  }

  forward(tgt: Tensor, memory: Tensor, options: DecoderForwardOptions = {}): Tensor {
    let x = tgt;
    if (this.normFirst) {
      x = x.add(this.saBlock(this.norm1.forward(x), options));
      x = x.add(this.mhaBlock(this.norm2.forward(x), memory, options));
      return x.add(this.ffBlock(this.norm3.forward(x), this.dropout3));
    }
    x = this.norm1.forward(x.add(this.saBlock(x, options)));
    x = this.norm2.forward(x.add(this.mhaBlock(x, memory, options)));
    return this.norm3.forward(x.add(this.ffBlock(x, this.dropout3)));
  }
}

/** `numLayers` deep copies of `layer` (PyTorch's _get_clones): all start with equal weights. */
function clones<M extends Module>(layer: M, numLayers: number): ModuleList {
  return new ModuleList(Array.from({ length: numLayers }, () => deepcopy(layer)));
}

/**
 * A stack of `numLayers` copies of an encoder layer, then an optional norm
 * (torch.nn.TransformerEncoder). As in PyTorch the layers are deep copies of the one given, so
 * they start with equal weights.
 *
 * @example
 * const enc = new nn.TransformerEncoder(new nn.TransformerEncoderLayer(16, 4), 2);
 */
export class TransformerEncoder extends Module {
  layers: ModuleList;
  norm: Module | null;

  constructor(
    encoderLayer: TransformerEncoderLayer,
    readonly numLayers: number,
    norm: Module | null = null,
  ) {
    super();
    this.layers = clones(encoderLayer, numLayers);
    this.norm = norm;
  }

  /** `mask` is PyTorch's name of the attention mask here; srcMask is accepted too. */
  forward(src: Tensor, options: EncoderForwardOptions & { mask?: Tensor | null } = {}): Tensor {
    const layerOptions: EncoderForwardOptions = {
      srcMask: options.mask ?? options.srcMask ?? null,
      srcKeyPaddingMask: options.srcKeyPaddingMask ?? null,
      isCausal: options.isCausal ?? false,
    };
    let out = src;
    for (const layer of this.layers) {
      out = (layer as TransformerEncoderLayer).forward(out, layerOptions);
    }
    return this.norm ? (this.norm.forward as (x: Tensor) => Tensor).call(this.norm, out) : out;
  }
}

/**
 * A stack of `numLayers` copies of a decoder layer, then an optional norm
 * (torch.nn.TransformerDecoder).
 *
 * @example
 * const dec = new nn.TransformerDecoder(new nn.TransformerDecoderLayer(16, 4), 2);
 */
export class TransformerDecoder extends Module {
  layers: ModuleList;
  norm: Module | null;

  constructor(
    decoderLayer: TransformerDecoderLayer,
    readonly numLayers: number,
    norm: Module | null = null,
  ) {
    super();
    this.layers = clones(decoderLayer, numLayers);
    this.norm = norm;
  }

  forward(tgt: Tensor, memory: Tensor, options: DecoderForwardOptions = {}): Tensor {
    let out = tgt;
    for (const layer of this.layers) {
      out = (layer as TransformerDecoderLayer).forward(out, memory, options);
    }
    return this.norm ? (this.norm.forward as (x: Tensor) => Tensor).call(this.norm, out) : out;
  }
}

/** Constructor options of nn.Transformer. */
export interface TransformerOptions extends TransformerLayerOptions {
  numEncoderLayers?: number;
  numDecoderLayers?: number;
}

/** Forward options of nn.Transformer. */
export interface TransformerForwardOptions {
  srcMask?: Tensor | null;
  tgtMask?: Tensor | null;
  memoryMask?: Tensor | null;
  srcKeyPaddingMask?: Tensor | null;
  tgtKeyPaddingMask?: Tensor | null;
  memoryKeyPaddingMask?: Tensor | null;
}

/**
 * The encoder-decoder transformer of "Attention Is All You Need" (torch.nn.Transformer):
 * every weight matrix redrawn with xavier_uniform_ after construction, as PyTorch does.
 *
 * @example
 * const model = new nn.Transformer(16, 4, { numEncoderLayers: 2, numDecoderLayers: 2 });
 * const tgtMask = nn.Transformer.generateSquareSubsequentMask(5);
 * const y = model.forward(src, tgt, { tgtMask });
 */
export class Transformer extends Module {
  encoder: TransformerEncoder;
  decoder: TransformerDecoder;
  readonly batchFirst: boolean;

  constructor(
    readonly dModel = 512,
    readonly nhead = 8,
    options: TransformerOptions = {},
  ) {
    super();
    const layerOptions = { dimFeedforward: 2048, ...options };
    const eps = options.layerNormEps ?? 1e-5;
    const dtype = options.dtype ?? "float32";
    this.encoder = new TransformerEncoder(
      new TransformerEncoderLayer(dModel, nhead, layerOptions),
      options.numEncoderLayers ?? 6,
      new LayerNorm(dModel, { eps, dtype }),
    );
    this.decoder = new TransformerDecoder(
      new TransformerDecoderLayer(dModel, nhead, layerOptions),
      options.numDecoderLayers ?? 6,
      new LayerNorm(dModel, { eps, dtype }),
    );
    this.batchFirst = options.batchFirst ?? false;
    noGrad(() => {
      for (const p of this.parameters()) if (p.ndim > 1) xavierUniform_(p);
    });
  }

  forward(src: Tensor, tgt: Tensor, options: TransformerForwardOptions = {}): Tensor {
    const batched = src.ndim === 3;
    const b = this.batchFirst ? 0 : 1;
    if (batched && src.shape[b] !== tgt.shape[b]) {
      throw new ValueError("the batch number of src and tgt must be equal");
    }
    if (src.shape[src.ndim - 1] !== this.dModel || tgt.shape[tgt.ndim - 1] !== this.dModel) {
      throw new ValueError("the feature number of src and tgt must be equal to d_model");
    }
    const memory = this.encoder.forward(src, {
      mask: options.srcMask ?? null,
      srcKeyPaddingMask: options.srcKeyPaddingMask ?? null,
    });
    return this.decoder.forward(tgt, memory, {
      tgtMask: options.tgtMask ?? null,
      memoryMask: options.memoryMask ?? null,
      tgtKeyPaddingMask: options.tgtKeyPaddingMask ?? null,
      memoryKeyPaddingMask: options.memoryKeyPaddingMask ?? null,
    });
  }

  /**
   * [sz, sz] float mask: 0 on and below the diagonal, -inf above (future positions).
   *
   * @example
   * nn.Transformer.generateSquareSubsequentMask(3); // [[0, -inf, -inf], [0, 0, -inf], [0, 0, 0]]
   */
  static generateSquareSubsequentMask(sz: number, options: { dtype?: DTypeLike } = {}): Tensor {
    return full([sz, sz], -Infinity, { dtype: options.dtype ?? "float32" }).triu(1);
  }
}
