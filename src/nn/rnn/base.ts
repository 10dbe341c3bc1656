/**
 * RNNBase: the parameters, checks and layer loop shared by nn.RNN, nn.LSTM and nn.GRU
 * (torch/nn/modules/rnn.py and aten/src/ATen/native/RNN.cpp in PyTorch 1.13).
 */
import { noGrad } from "../../autograd/grad-mode.js";
import { ShapeError, ValueError } from "../../errors.js";
import { cat, stack } from "../../ops/join.js";
import { empty, zeros } from "../../tensor/create.js";
import type { DTypeLike } from "../../tensor/dtype.js";
import type { Tensor } from "../../tensor/tensor.js";
import { dropout } from "../functional/layers.js";
import { warnOnce } from "../functional/reduction.js";
import { uniform_ } from "../init.js";
import { Module } from "../module.js";
import { Parameter } from "../parameter.js";
import { pyBool, pyFloat, pyTuple } from "../repr.js";
import { PackedSequence } from "../utils/rnn.js";
import { runDirection, runFusedDirection, usesFusedLayer } from "./layer.js";
import { GATES, type Mode, type StepWeights } from "./steps.js";

/** The options of nn.RNN, nn.LSTM and nn.GRU (PyTorch's keyword arguments in camelCase). */
export interface RNNBaseOptions {
  /** Stacked layers (default 1). */
  numLayers?: number;
  /** Use b_ih and b_hh (default true). */
  bias?: boolean;
  /** Input and output as [batch, seq, feature] instead of [seq, batch, feature] (default false). */
  batchFirst?: boolean;
  /** Dropout probability on the outputs of every layer but the last, in training (default 0). */
  dropout?: number;
  /** Also run each layer from the end and concatenate both directions (default false). */
  bidirectional?: boolean;
  dtype?: DTypeLike;
}

/** The result of the shared forward: the output and the final state ([hN] or [hN, cN]). */
export interface RunResult<I> {
  output: I;
  state: Tensor[];
}

/**
 * Base class of the recurrent layers; use nn.RNN, nn.LSTM or nn.GRU.
 *
 * @example
 * const lstm = new torch.nn.LSTM(10, 20); // an RNNBase
 */
export abstract class RNNBase extends Module {
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  readonly projSize: number;
  /** Parameter names in PyTorch's order (torch's `_flat_weights_names`). */
  readonly flatWeightsNames: readonly string[];

  constructor(
    readonly mode: Mode,
    readonly inputSize: number,
    readonly hiddenSize: number,
    options: RNNBaseOptions & { projSize?: number } = {},
  ) {
    super();
    this.numLayers = options.numLayers ?? 1;
    this.bias = options.bias ?? true;
    this.batchFirst = options.batchFirst ?? false;
    const p = options.dropout ?? 0;
    this.bidirectional = options.bidirectional ?? false;
    this.projSize = options.projSize ?? 0;
    if (typeof p !== "number" || !(p >= 0 && p <= 1)) {
      throw new ValueError(
        "dropout should be a number in range [0, 1] representing the probability of an element being zeroed",
      );
    }
    this.dropout = p;
    if (p > 0 && this.numLayers === 1) {
      warnOnce(
        `dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects num_layers greater than 1, but got dropout=${pyFloat(p)} and num_layers=1`,
      );
    }
    if (this.projSize < 0) {
      throw new ValueError("proj_size should be a positive integer or zero to disable projections");
    }
    if (this.projSize >= hiddenSize) {
      throw new ValueError("proj_size has to be smaller than hidden_size");
    }
    const dtype = options.dtype ?? "float32";
    const gateSize = GATES[mode] * hiddenSize;
    const realHidden = this.projSize > 0 ? this.projSize : hiddenSize;
    const names: string[] = [];
    for (let layer = 0; layer < this.numLayers; layer++) {
      for (let dir = 0; dir < this.numDirections; dir++) {
        const layerInput = layer === 0 ? inputSize : realHidden * this.numDirections;
        const suffix = `_l${layer}${dir === 1 ? "_reverse" : ""}`;
        const shapes: [string, number[]][] = [
          [`weight_ih${suffix}`, [gateSize, layerInput]],
          [`weight_hh${suffix}`, [gateSize, realHidden]],
        ];
        if (this.bias) {
          shapes.push([`bias_ih${suffix}`, [gateSize]], [`bias_hh${suffix}`, [gateSize]]);
        }
        if (this.projSize > 0) shapes.push([`weight_hr${suffix}`, [this.projSize, hiddenSize]]);
        for (const [name, shape] of shapes) {
          this.registerParameter(name, new Parameter(empty(shape, { dtype })));
          names.push(name);
        }
      }
    }
    this.flatWeightsNames = names;
    this.resetParameters();
  }

  /** 2 when bidirectional, else 1. */
  get numDirections(): number {
    return this.bidirectional ? 2 : 1;
  }

  /** Redraws every weight and bias from U(-1/sqrt(hidden), 1/sqrt(hidden)) in parameter order. */
  resetParameters(): void {
    const stdv = this.hiddenSize > 0 ? 1 / Math.sqrt(this.hiddenSize) : 0;
    noGrad(() => {
      for (const w of this.parameters()) uniform_(w, -stdv, stdv);
    });
  }

  /** The parameter registered under `name` (reads the slot, so a reassigned weight is used). */
  private param(name: string): Tensor | null {
    return (this as unknown as Record<string, Parameter | undefined>)[name] ?? null;
  }

  /** The weights of one layer and direction. */
  protected weights(layer: number, dir: number): StepWeights {
    const suffix = `_l${layer}${dir === 1 ? "_reverse" : ""}`;
    return {
      wIh: this.param(`weight_ih${suffix}`)!,
      wHh: this.param(`weight_hh${suffix}`)!,
      bIh: this.bias ? this.param(`bias_ih${suffix}`) : null,
      bHh: this.bias ? this.param(`bias_hh${suffix}`) : null,
      wHr: this.projSize > 0 ? this.param(`weight_hr${suffix}`) : null,
    };
  }

  /** Size of the hidden state h: projSize with a projection, else hiddenSize. */
  protected get outputHidden(): number {
    return this.projSize > 0 ? this.projSize : this.hiddenSize;
  }

  /** PyTorch's check_input. */
  protected checkInput(input: Tensor, packed: boolean): void {
    const expected = packed ? 2 : 3;
    if (input.ndim !== expected) {
      throw new ShapeError(`input must have ${expected} dimensions, got ${input.ndim}`);
    }
    if (this.inputSize !== input.shape[input.ndim - 1]) {
      throw new ShapeError(
        `input.size(-1) must be equal to input_size. Expected ${this.inputSize}, got ${input.shape[input.ndim - 1]}`,
      );
    }
  }

  /** PyTorch's check_hidden_size. */
  protected checkHiddenSize(
    hx: Tensor,
    expected: readonly number[],
    label = "Expected hidden size",
  ): void {
    if (hx.ndim !== expected.length || hx.shape.some((s, i) => s !== expected[i])) {
      throw new ShapeError(`${label} ${pyTuple(expected)}, got [${hx.shape.join(", ")}]`);
    }
  }

  /**
   * The shared forward over 3-D (or packed) input with a full initial state [L*D, B, *] per
   * entry; the subclasses handle unbatched input, defaults and the public result types.
   */
  protected run(x: Tensor, batchSizes: readonly number[] | null, hx: Tensor[]): RunResult<Tensor> {
    let rows: Tensor;
    let sizes: readonly number[];
    let steps = 0;
    let batch = 0;
    if (batchSizes === null) {
      const seqFirst = this.batchFirst ? x.transpose(0, 1) : x;
      steps = seqFirst.shape[0]!;
      batch = seqFirst.shape[1]!;
      rows = seqFirst.reshape(steps * batch, seqFirst.shape[2]!);
      sizes = new Array<number>(steps).fill(batch);
    } else {
      rows = x;
      sizes = batchSizes;
    }
    const finals: Tensor[][] = [];
    const drop = (t: Tensor, layer: number): Tensor =>
      this.dropout > 0 && this.training && layer < this.numLayers - 1
        ? dropout(t, { p: this.dropout, training: true })
        : t;
    let layerOutput: Tensor;
    if (usesFusedLayer(this.mode, sizes)) {
      // Whole [T*B, *] tensors between layers, as the fused LSTM op takes and gives them.
      let layerInput = rows;
      for (let layer = 0; layer < this.numLayers; layer++) {
        const outputs: Tensor[] = [];
        for (let dir = 0; dir < this.numDirections; dir++) {
          const init = hx.map((h) => h.select(0, layer * this.numDirections + dir));
          const w = this.weights(layer, dir);
          const res = runFusedDirection(layerInput, sizes.length, init, w, dir === 1);
          outputs.push(res.output);
          finals.push(res.final);
        }
        layerInput = drop(outputs.length === 1 ? outputs[0]! : cat(outputs, 1), layer);
      }
      layerOutput = layerInput;
    } else {
      // Per-step tensors between layers (see runDirection).
      let xs = rows.split(sizes, 0);
      for (let layer = 0; layer < this.numLayers; layer++) {
        const outputs: Tensor[][] = [];
        for (let dir = 0; dir < this.numDirections; dir++) {
          const init = hx.map((h) => h.select(0, layer * this.numDirections + dir));
          const w = this.weights(layer, dir);
          const res = runDirection(xs, sizes, init, w, this.mode, dir === 1);
          outputs.push(res.outputs);
          finals.push(res.final);
        }
        xs =
          outputs.length === 1
            ? outputs[0]!
            : outputs[0]!.map((o, t) => cat([o, outputs[1]![t]!], 1));
        // Dropout draws one mask for the whole layer output, as PyTorch does.
        if (this.dropout > 0 && this.training && layer < this.numLayers - 1) {
          xs = drop(cat(xs, 0), layer).split(sizes, 0);
        }
      }
      layerOutput = cat(xs, 0);
    }
    const state = hx.map((_, k) =>
      stack(
        finals.map((f) => f[k]!),
        0,
      ),
    );
    if (batchSizes !== null) return { output: layerOutput, state };
    let output = layerOutput.reshape(steps, batch, layerOutput.shape[1]!);
    if (this.batchFirst) output = output.transpose(0, 1);
    return { output, state };
  }

  /**
   * Unpacks or unsqueezes the input and fills in the default state, with PyTorch's checks; `hx`
   * entries are [h] or [h, c]. `sizes` gives each entry's last dim.
   */
  protected prepare(
    input: Tensor | PackedSequence,
    hx: Tensor[] | null,
    sizes: readonly number[],
    checkHxRank: (hx: Tensor[], batched: boolean) => void,
  ): {
    x: Tensor;
    batchSizes: number[] | null;
    hx: Tensor[];
    batched: boolean;
    packed: PackedSequence | null;
  } {
    let x: Tensor;
    let batchSizes: number[] | null = null;
    let batched = true;
    let maxBatch: number;
    const packed = input instanceof PackedSequence ? input : null;
    if (packed !== null) {
      x = packed.data;
      batchSizes = packed.batchSizesArray();
      maxBatch = batchSizes[0] ?? 0;
    } else {
      x = input as Tensor;
      batched = x.ndim === 3;
      const batchDim = this.batchFirst ? 0 : 1;
      if (!batched) x = x.unsqueeze(batchDim);
      if (hx !== null) {
        checkHxRank(hx, batched);
        if (!batched) hx = hx.map((h) => h.unsqueeze(1));
      }
      maxBatch = x.shape[this.batchFirst ? 0 : 1] ?? 0;
    }
    const layers = this.numLayers * this.numDirections;
    if (hx === null) {
      hx = sizes.map((s) => zeros([layers, maxBatch, s], { dtype: x.dtype }));
    } else if (packed?.sortedIndices) {
      const order = packed.sortedIndices;
      hx = hx.map((h) => h.indexSelect(1, order));
    }
    this.checkInput(x, packed !== null);
    return { x, batchSizes, hx, batched, packed };
  }

  /** Undoes `prepare`: packs or squeezes the output and restores the batch order of the state. */
  protected finish(
    res: RunResult<Tensor>,
    prepared: { batched: boolean; packed: PackedSequence | null },
  ): [Tensor | PackedSequence, Tensor[]] {
    const { packed, batched } = prepared;
    if (packed !== null) {
      const out = new PackedSequence(
        res.output,
        packed.batchSizes,
        packed.sortedIndices,
        packed.unsortedIndices,
      );
      const order = packed.unsortedIndices;
      return [out, order ? res.state.map((h) => h.indexSelect(1, order)) : res.state];
    }
    if (!batched) {
      return [res.output.squeeze(this.batchFirst ? 0 : 1), res.state.map((h) => h.squeeze(1))];
    }
    return [res.output, res.state];
  }

  override extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (this.projSize !== 0) s += `, proj_size=${this.projSize}`;
    if (this.numLayers !== 1) s += `, num_layers=${this.numLayers}`;
    if (!this.bias) s += `, bias=${pyBool(this.bias)}`;
    if (this.batchFirst) s += `, batch_first=${pyBool(this.batchFirst)}`;
    if (this.dropout !== 0) s += `, dropout=${pyFloat(this.dropout)}`;
    if (this.bidirectional) s += `, bidirectional=${pyBool(this.bidirectional)}`;
    return s;
  }
}
