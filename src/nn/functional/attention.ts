/**
 * Attention as functions: scaled dot-product attention (PyTorch 2's
 * torch.nn.functional.scaled_dot_product_attention) and the multi-head attention forward of
 * torch.nn.functional.multi_head_attention_forward (PyTorch 1.13), which nn.MultiheadAttention
 * calls.
 */
import { DTypeError, ShapeError, ValueError } from "../../errors.js";
import { cat } from "../../ops/join.js";
import { pad } from "../../ops/pad.js";
import { noGrad } from "../../autograd/grad-mode.js";
import { full, ones, zeros } from "../../tensor/create.js";
import { isFloatingPoint, type DType } from "../../tensor/dtype.js";
import type { Tensor } from "../../tensor/tensor.js";
import { torchSize } from "../state-dict.js";
import { dropout, linear } from "./layers.js";
import { checkTensor } from "../../validation/tensors.js";

/** Options of `scaledDotProductAttention` (PyTorch 2's keyword arguments). */
export interface SDPAOptions {
  /** Bool: true where a query may attend to a key; float: added to the scores. Broadcasts. */
  attnMask?: Tensor | null;
  /** Dropout on the attention weights, applied whenever > 0 (as PyTorch 2). */
  dropoutP?: number;
  /** Lower-triangular (causal) mask; may not be combined with `attnMask`. */
  isCausal?: boolean;
  /** Score scale; default 1/sqrt(E), E the query's last dim (PyTorch 2.1's `scale`). */
  scale?: number | null;
}

/** [L, S] bool, true on and below the diagonal: key j <= query i takes part. */
export function causalMask(L: number, S: number): Tensor {
  return ones([L, S], { dtype: "bool" }).tril();
}

// The additive causal masks of the last few (L, S, dtype): a GPT asks for the same one in every
// layer of every step, and adding a cached [L, S] row block is one broadcast kernel, where
// building and applying a bool mask costs two strided `where` passes forward and one backward.
const additiveCausal = new Map<string, Tensor>();

/** [L, S] float: 0 on and below the diagonal, -inf above (PyTorch 2's is_causal bias). */
function additiveCausalMask(L: number, S: number, dtype: DType): Tensor {
  const key = `${L},${S},${dtype}`;
  let mask = additiveCausal.get(key);
  if (mask === undefined) {
    mask = noGrad(() => full([L, S], -Infinity, { dtype }).triu(1));
    if (additiveCausal.size >= 8) additiveCausal.delete(additiveCausal.keys().next().value!);
    additiveCausal.set(key, mask);
  }
  return mask;
}

/**
 * softmax(q kᵀ · scale + mask) v over the last two dims, batched over the leading ones
 * (torch.nn.functional.scaled_dot_product_attention, the PyTorch 2.x API; PyTorch 1.13 has no
 * public SDPA). A bool mask says which keys take part (true = attend), a float mask is added
 * to the scores, `isCausal` masks the keys after each query.
 *
 * @example
 * const y = F.scaledDotProductAttention(q, k, v, { isCausal: true }); // q [B, H, L, E]
 */
export function scaledDotProductAttention(
  query: Tensor,
  key: Tensor,
  value: Tensor,
  options: SDPAOptions = {},
): Tensor {
  checkTensor("scaledDotProductAttention", "query", query);
  checkTensor("scaledDotProductAttention", "key", key);
  checkTensor("scaledDotProductAttention", "value", value);
  const { attnMask = null, dropoutP = 0, isCausal = false } = options;
  if (query.ndim < 2 || key.ndim < 2 || value.ndim < 2) {
    throw new ShapeError(
      `scaled_dot_product_attention: expected query, key and value to be at least 2-D, got ` +
        `${query.ndim}-D, ${key.ndim}-D and ${value.ndim}-D`,
    );
  }
  if (isCausal && attnMask !== null) {
    throw new ValueError(
      "_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True",
    );
  }
  if (attnMask !== null && attnMask.dtype !== "bool" && attnMask.dtype !== query.dtype) {
    throw new DTypeError(
      `Expected attn_mask dtype to be bool or to match query dtype, but got attn_mask.dtype: ` +
        `${attnMask.dtype} and  query.dtype: ${query.dtype} instead.`,
    );
  }
  const E = query.shape[query.ndim - 1]!;
  const L = query.shape[query.ndim - 2]!;
  const S = key.shape[key.ndim - 2]!;
  const scale = options.scale ?? 1 / Math.sqrt(E);
  let scores = query.matmul(key.transpose(-2, -1)).mul(scale);
  if (isCausal) scores = scores.add(additiveCausalMask(L, S, scores.dtype));
  else if (attnMask !== null) {
    scores =
      attnMask.dtype === "bool"
        ? scores.maskedFill(attnMask.logicalNot(), -Infinity)
        : scores.add(attnMask);
  }
  let weights = scores.softmax(-1);
  if (dropoutP > 0) weights = dropout(weights, { p: dropoutP, training: true });
  return weights.matmul(value);
}

/** The weights and switches of one multi-head attention call (PyTorch's positional ones). */
export interface MHAParams {
  embedDim: number;
  numHeads: number;
  inProjWeight: Tensor | null;
  inProjBias: Tensor | null;
  biasK: Tensor | null;
  biasV: Tensor | null;
  addZeroAttn: boolean;
  dropoutP: number;
  outProjWeight: Tensor;
  outProjBias: Tensor | null;
  /** Separate q/k/v projections (kdim or vdim differs from embedDim). */
  qProjWeight?: Tensor | null;
  kProjWeight?: Tensor | null;
  vProjWeight?: Tensor | null;
}

/** Keyword arguments of nn.MultiheadAttention's forward. */
export interface MHAForwardOptions {
  /** [N, S] (or [S] unbatched): true (or -inf/float added) for keys to ignore. */
  keyPaddingMask?: Tensor | null;
  /** Return the attention weights (default true). */
  needWeights?: boolean;
  /** [L, S] or [N·numHeads, L, S]: bool true = NOT allowed (PyTorch 1.13's convention), or float. */
  attnMask?: Tensor | null;
  /** Average the returned weights over heads (default true). */
  averageAttnWeights?: boolean;
  /** With no attnMask, masks the keys after each query (a causal mask). */
  isCausal?: boolean;
}

function assertThat(cond: boolean, message: string): asserts cond {
  if (!cond) throw new ShapeError(message);
}

function shapeEq(shape: readonly number[], want: readonly number[]): boolean {
  return shape.length === want.length && shape.every((s, i) => s === want[i]);
}

/** PyTorch's tuple text of a shape, `(4, 4)`. */
function pyTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

/** PyTorch 1.13's _mha_shape_check: whether the query is batched, with its messages. */
function mhaShapeCheck(
  query: Tensor,
  key: Tensor,
  value: Tensor,
  keyPaddingMask: Tensor | null,
  attnMask: Tensor | null,
  numHeads: number,
): boolean {
  if (query.ndim === 3) {
    assertThat(
      key.ndim === 3 && value.ndim === 3,
      "For batched (3-D) `query`, expected `key` and `value` to be 3-D" +
        ` but found ${key.ndim}-D and ${value.ndim}-D tensors respectively`,
    );
    if (keyPaddingMask !== null) {
      assertThat(
        keyPaddingMask.ndim === 2,
        "For batched (3-D) `query`, expected `key_padding_mask` to be `None` or 2-D" +
          ` but found ${keyPaddingMask.ndim}-D tensor instead`,
      );
    }
    if (attnMask !== null) {
      assertThat(
        attnMask.ndim === 2 || attnMask.ndim === 3,
        "For batched (3-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D" +
          ` but found ${attnMask.ndim}-D tensor instead`,
      );
    }
    return true;
  }
  if (query.ndim === 2) {
    assertThat(
      key.ndim === 2 && value.ndim === 2,
      "For unbatched (2-D) `query`, expected `key` and `value` to be 2-D" +
        ` but found ${key.ndim}-D and ${value.ndim}-D tensors respectively`,
    );
    if (keyPaddingMask !== null) {
      assertThat(
        keyPaddingMask.ndim === 1,
        "For unbatched (2-D) `query`, expected `key_padding_mask` to be `None` or 1-D" +
          ` but found ${keyPaddingMask.ndim}-D tensor instead`,
      );
    }
    if (attnMask !== null) {
      assertThat(
        attnMask.ndim === 2 || attnMask.ndim === 3,
        "For unbatched (2-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D" +
          ` but found ${attnMask.ndim}-D tensor instead`,
      );
      if (attnMask.ndim === 3) {
        const want = [numHeads, query.shape[0]!, key.shape[0]!];
        assertThat(
          shapeEq(attnMask.shape, want),
          `Expected \`attn_mask\` shape to be ${pyTuple(want)} but got ${torchSize(attnMask.shape)}`,
        );
      }
    }
    return false;
  }
  throw new ShapeError(
    `query should be unbatched 2D or batched 3D tensor but received ${query.ndim}-D query tensor`,
  );
}

function checkMaskDType(mask: Tensor, what: "attn_mask" | "key_padding_mask"): void {
  if (mask.dtype === "bool" || isFloatingPoint(mask.dtype)) return;
  const torchName = `torch.${mask.dtype === "int32" ? "int32" : mask.dtype}`;
  throw new DTypeError(
    what === "attn_mask"
      ? `Only float, byte, and bool types are supported for attn_mask, not ${torchName}`
      : "only bool and floating types of key_padding_mask are supported",
  );
}

/** q, k, v projected by the packed [3E, E] weight (PyTorch's _in_projection_packed). */
function inProjectionPacked(
  q: Tensor,
  k: Tensor,
  v: Tensor,
  w: Tensor,
  b: Tensor | null,
): [Tensor, Tensor, Tensor] {
  const E = q.shape[q.ndim - 1]!;
  if (k === v) {
    if (q === k) {
      const [a, bb, c] = linear(q, w, b).chunk(3, -1);
      return [a!, bb!, c!];
    }
    const [wQ, wKV] = w.split([E, E * 2]);
    const [bQ, bKV] = b === null ? [null, null] : b.split([E, E * 2]);
    const [kk, vv] = linear(k, wKV!, bKV ?? null).chunk(2, -1);
    return [linear(q, wQ!, bQ ?? null), kk!, vv!];
  }
  const [wQ, wK, wV] = w.chunk(3);
  const [bQ, bK, bV] = b === null ? [null, null, null] : b.chunk(3);
  return [linear(q, wQ!, bQ ?? null), linear(k, wK!, bK ?? null), linear(v, wV!, bV ?? null)];
}

/**
 * Multi-head attention on sequence-first inputs ([L, N, E] or unbatched [L, E]), as PyTorch
 * 1.13's F.multi_head_attention_forward: returns [output, weights or null].
 *
 * @example
 * const [out] = F.multiHeadAttentionForward(q, k, v, params, training, { attnMask });
 */
export function multiHeadAttentionForward(
  query: Tensor,
  key: Tensor,
  value: Tensor,
  params: MHAParams,
  training: boolean,
  options: MHAForwardOptions = {},
): [Tensor, Tensor | null] {
  checkTensor("multiHeadAttentionForward", "query", query);
  checkTensor("multiHeadAttentionForward", "key", key);
  checkTensor("multiHeadAttentionForward", "value", value);
  const { numHeads } = params;
  let keyPaddingMask = options.keyPaddingMask ?? null;
  let attnMask = options.attnMask ?? null;
  const needWeights = options.needWeights ?? true;
  const averageAttnWeights = options.averageAttnWeights ?? true;
  const isBatched = mhaShapeCheck(query, key, value, keyPaddingMask, attnMask, numHeads);
  if (!isBatched) {
    query = query.unsqueeze(1);
    key = key.unsqueeze(1);
    value = value.unsqueeze(1);
    if (keyPaddingMask !== null) keyPaddingMask = keyPaddingMask.unsqueeze(0);
  }
  const [tgtLen, bsz, embedDim] = query.shape as [number, number, number];
  let srcLen = key.shape[0]!;
  if (keyPaddingMask !== null) checkMaskDType(keyPaddingMask, "key_padding_mask");
  assertThat(
    embedDim === params.embedDim,
    `was expecting embedding dimension of ${params.embedDim}, but got ${embedDim}`,
  );
  const headDim = Math.floor(embedDim / numHeads);
  assertThat(
    headDim * numHeads === embedDim,
    `embed_dim ${embedDim} not divisible by num_heads ${numHeads}`,
  );
  const separate = params.inProjWeight === null;
  if (separate) {
    assertThat(
      shapeEq(key.shape.slice(0, 2), value.shape.slice(0, 2)),
      `key's sequence and batch dims ${torchSize(key.shape.slice(0, 2))} do not match value's ` +
        `${torchSize(value.shape.slice(0, 2))}`,
    );
  } else {
    assertThat(
      shapeEq(key.shape, value.shape),
      `key shape ${torchSize(key.shape)} does not match value shape ${torchSize(value.shape)}`,
    );
  }

  let q: Tensor, k: Tensor, v: Tensor;
  if (!separate) {
    [q, k, v] = inProjectionPacked(query, key, value, params.inProjWeight!, params.inProjBias);
  } else {
    const b = params.inProjBias?.chunk(3) ?? [null, null, null];
    q = linear(query, params.qProjWeight!, b[0] ?? null);
    k = linear(key, params.kProjWeight!, b[1] ?? null);
    v = linear(value, params.vProjWeight!, b[2] ?? null);
  }

  if (attnMask === null && options.isCausal) {
    attnMask = causalMask(tgtLen, srcLen).logicalNot();
  }
  if (attnMask !== null) {
    checkMaskDType(attnMask, "attn_mask");
    if (attnMask.ndim === 2) {
      const want = [tgtLen, srcLen];
      if (!shapeEq(attnMask.shape, want)) {
        throw new ShapeError(
          `The shape of the 2D attn_mask is ${torchSize(attnMask.shape)}, but should be ${pyTuple(want)}.`,
        );
      }
      attnMask = attnMask.unsqueeze(0);
    } else if (attnMask.ndim === 3) {
      const want = [bsz * numHeads, tgtLen, srcLen];
      if (!shapeEq(attnMask.shape, want)) {
        throw new ShapeError(
          `The shape of the 3D attn_mask is ${torchSize(attnMask.shape)}, but should be ${pyTuple(want)}.`,
        );
      }
    } else {
      throw new ShapeError(`attn_mask's dimension ${attnMask.ndim} is not supported`);
    }
  }

  if (params.biasK !== null && params.biasV !== null) {
    k = cat([k, params.biasK.repeat(1, bsz, 1)]);
    v = cat([v, params.biasV.repeat(1, bsz, 1)]);
    if (attnMask !== null) attnMask = pad(attnMask, [0, 1]);
    if (keyPaddingMask !== null) keyPaddingMask = pad(keyPaddingMask, [0, 1]);
  }

  // Batch first: [N * heads, len, headDim].
  q = q
    .contiguous()
    .view(tgtLen, bsz * numHeads, headDim)
    .transpose(0, 1);
  k = k
    .contiguous()
    .view(k.shape[0]!, bsz * numHeads, headDim)
    .transpose(0, 1);
  v = v
    .contiguous()
    .view(v.shape[0]!, bsz * numHeads, headDim)
    .transpose(0, 1);

  if (params.addZeroAttn) {
    const z = [bsz * numHeads, 1, headDim];
    k = cat([k, zeros(z, { dtype: k.dtype })], 1);
    v = cat([v, zeros(z, { dtype: v.dtype })], 1);
    if (attnMask !== null) attnMask = pad(attnMask, [0, 1]);
    if (keyPaddingMask !== null) keyPaddingMask = pad(keyPaddingMask, [0, 1]);
  }
  srcLen = k.shape[1]!;

  if (keyPaddingMask !== null) {
    const want = [bsz, srcLen];
    assertThat(
      shapeEq(keyPaddingMask.shape, want),
      `expecting key_padding_mask shape of ${pyTuple(want)}, but got ${torchSize(keyPaddingMask.shape)}`,
    );
    keyPaddingMask = keyPaddingMask
      .view(bsz, 1, 1, srcLen)
      .expand(-1, numHeads, -1, -1)
      .reshape(bsz * numHeads, 1, srcLen);
    if (attnMask === null) attnMask = keyPaddingMask;
    else if (attnMask.dtype === "bool") attnMask = attnMask.logicalOr(keyPaddingMask);
    else attnMask = attnMask.maskedFill(keyPaddingMask, -Infinity);
  }
  if (attnMask !== null && attnMask.dtype === "bool") {
    attnMask = zeros(attnMask.shape, { dtype: q.dtype }).maskedFill(attnMask, -Infinity);
  }

  const dropoutP = training ? params.dropoutP : 0;
  const E = q.shape[2]!;
  const qScaled = q.div(Math.sqrt(E));
  let weights = qScaled.bmm(k.transpose(-2, -1));
  if (attnMask !== null) weights = weights.add(attnMask);
  weights = weights.softmax(-1);
  if (dropoutP > 0) weights = dropout(weights, { p: dropoutP, training: true });

  let out = weights.bmm(v);
  out = out
    .transpose(0, 1)
    .contiguous()
    .view(tgtLen * bsz, embedDim);
  out = linear(out, params.outProjWeight, params.outProjBias);
  out = out.view(tgtLen, bsz, out.shape[1]!);

  if (!needWeights) return [isBatched ? out : out.squeeze(1), null];
  let w = weights.view(bsz, numHeads, tgtLen, srcLen);
  if (averageAttnWeights) w = w.sum(1).div(numHeads);
  if (!isBatched) return [out.squeeze(1), w.squeeze(0)];
  return [out, w];
}
