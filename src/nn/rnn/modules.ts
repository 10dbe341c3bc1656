/** nn.RNN, nn.LSTM and nn.GRU: multi-layer recurrent nets with PyTorch's parameters and results. */
import { ShapeError, ValueError } from "../../errors.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { PackedSequence } from "../utils/rnn.js";
import { RNNBase, type RNNBaseOptions } from "./base.js";

/** A sequence batch as the recurrent layers take it: a tensor or a PackedSequence. */
export type RNNInput = Tensor | PackedSequence;

/** The output has the input's kind: a tensor for a tensor, a PackedSequence for one. */
export type RNNOutput<I extends RNNInput> = I extends PackedSequence ? PackedSequence : Tensor;

function checkSingleRank(hx: Tensor[], batched: boolean): void {
  const d = hx[0]!.ndim;
  if (batched && d !== 3) {
    throw new ShapeError(`For batched 3-D input, hx should also be 3-D but got ${d}-D tensor`);
  }
  if (!batched && d !== 2) {
    throw new ShapeError(`For unbatched 2-D input, hx should also be 2-D but got ${d}-D tensor`);
  }
}

function checkPairRank([h, c]: Tensor[], batched: boolean): void {
  const want = batched ? 3 : 2;
  if (h!.ndim !== want || c!.ndim !== want) {
    const kind = batched ? "batched 3-D" : "unbatched 2-D";
    throw new ShapeError(
      `For ${kind} input, hx and cx should also be ${want}-D but got (${h!.ndim}-D, ${c!.ndim}-D) tensors`,
    );
  }
}

function rejectProjSize(options: object): void {
  if ("projSize" in options) {
    throw new ValueError("proj_size argument is only supported for LSTM, not RNN or GRU");
  }
}

/** Shared forward of the single-state nets (RNN, GRU). */
abstract class SingleStateRNN extends RNNBase {
  forward<I extends RNNInput>(input: I, hx: Tensor | null = null): [RNNOutput<I>, Tensor] {
    const p = this.prepare(input, hx === null ? null : [hx], [this.hiddenSize], checkSingleRank);
    const batch = p.batchSizes === null ? p.x.shape[this.batchFirst ? 0 : 1]! : p.batchSizes[0]!;
    this.checkHiddenSize(p.hx[0]!, [this.numLayers * this.numDirections, batch, this.hiddenSize]);
    const [out, [hN]] = this.finish(this.run(p.x, p.batchSizes, p.hx), p);
    return [out as RNNOutput<I>, hN!];
  }
}

/**
 * The call of an RNN, generic over its input as `forward` is (a PackedSequence in, a
 * PackedSequence out): a generic method's type parameter does not survive Module's call signature.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface RNN {
  <I extends RNNInput>(input: I, hx?: Tensor | null): [RNNOutput<I>, Tensor];
}

/**
 * An Elman RNN, h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh) per layer (torch.nn.RNN),
 * `nonlinearity: "relu"` for ReLU. Input [seq, batch, inputSize] ([batch, seq, .] with
 * `batchFirst`, [seq, inputSize] unbatched, or a PackedSequence); returns `[output, hN]`.
 *
 * @example
 * const rnn = new nn.RNN(10, 20, { numLayers: 2 });
 * const [output, hN] = rnn.forward(torch.randn([5, 3, 10])); // [5, 3, 20], [2, 3, 20]
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class RNN extends SingleStateRNN {
  readonly nonlinearity: "tanh" | "relu";

  constructor(
    inputSize: number,
    hiddenSize: number,
    options: RNNBaseOptions & { nonlinearity?: "tanh" | "relu" } = {},
  ) {
    rejectProjSize(options);
    const nonlinearity = options.nonlinearity ?? "tanh";
    if (nonlinearity !== "tanh" && nonlinearity !== "relu") {
      throw new ValueError(`Unknown nonlinearity '${String(nonlinearity)}'`);
    }
    super(nonlinearity === "tanh" ? "RNN_TANH" : "RNN_RELU", inputSize, hiddenSize, options);
    this.nonlinearity = nonlinearity;
  }
}

/**
 * The call of a GRU, generic over its input as `forward` is (a PackedSequence in, a
 * PackedSequence out): a generic method's type parameter does not survive Module's call signature.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface GRU {
  <I extends RNNInput>(input: I, hx?: Tensor | null): [RNNOutput<I>, Tensor];
}

/**
 * A gated recurrent unit net (torch.nn.GRU): r, z, n gates, n = tanh(W_in x + b_in + r (W_hn h +
 * b_hn)), h' = (1 - z) n + z h. Returns `[output, hN]`.
 *
 * @example
 * const gru = new nn.GRU(10, 20, { batchFirst: true });
 * const [output, hN] = gru.forward(torch.randn([3, 5, 10])); // [3, 5, 20], [1, 3, 20]
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class GRU extends SingleStateRNN {
  constructor(inputSize: number, hiddenSize: number, options: RNNBaseOptions = {}) {
    rejectProjSize(options);
    super("GRU", inputSize, hiddenSize, options);
  }
}

/**
 * The call of a LSTM, generic over its input as `forward` is (a PackedSequence in, a
 * PackedSequence out): a generic method's type parameter does not survive Module's call signature.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface LSTM {
  <I extends RNNInput>(
    input: I,
    hx?: readonly [Tensor, Tensor] | null,
  ): [RNNOutput<I>, [Tensor, Tensor]];
}

/**
 * A long short-term memory net (torch.nn.LSTM): i, f, g, o gates, c' = f c + i g,
 * h' = o tanh(c'), projected to `projSize` when given. Returns `[output, [hN, cN]]`.
 *
 * @example
 * const lstm = new nn.LSTM(10, 20, { numLayers: 2, dropout: 0.2 });
 * const [output, [hN, cN]] = lstm.forward(torch.randn([5, 3, 10]));
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class LSTM extends RNNBase {
  constructor(
    inputSize: number,
    hiddenSize: number,
    options: RNNBaseOptions & { projSize?: number } = {},
  ) {
    super("LSTM", inputSize, hiddenSize, options);
  }

  forward<I extends RNNInput>(
    input: I,
    hx: readonly [Tensor, Tensor] | null = null,
  ): [RNNOutput<I>, [Tensor, Tensor]] {
    const p = this.prepare(
      input,
      hx === null ? null : [hx[0], hx[1]],
      [this.outputHidden, this.hiddenSize],
      checkPairRank,
    );
    const batch = p.batchSizes === null ? p.x.shape[this.batchFirst ? 0 : 1]! : p.batchSizes[0]!;
    const layers = this.numLayers * this.numDirections;
    this.checkHiddenSize(p.hx[0]!, [layers, batch, this.outputHidden], "Expected hidden[0] size");
    this.checkHiddenSize(p.hx[1]!, [layers, batch, this.hiddenSize], "Expected hidden[1] size");
    const [out, [hN, cN]] = this.finish(this.run(p.x, p.batchSizes, p.hx), p);
    return [out as RNNOutput<I>, [hN!, cN!]];
  }
}
