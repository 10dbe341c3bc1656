/** nn.RNNCell, nn.LSTMCell and nn.GRUCell: one time step with PyTorch's parameters and checks. */
import { noGrad } from "../../autograd/grad-mode.js";
import { ShapeError, ValueError } from "../../errors.js";
import { empty, zeros } from "../../tensor/create.js";
import type { DTypeLike } from "../../tensor/dtype.js";
import type { Tensor } from "../../tensor/tensor.js";
import { linear } from "../functional/layers.js";
import { uniform_ } from "../init.js";
import { Module } from "../module.js";
import { Parameter } from "../parameter.js";
import { pyBool } from "../repr.js";
import { STEPS, type Mode, type StepWeights } from "./steps.js";

/** Options of the cell modules. */
export interface RNNCellOptions {
  /** Use bias_ih and bias_hh (default true). */
  bias?: boolean;
  dtype?: DTypeLike;
}

/**
 * Base class of the cells (torch.nn.RNNCellBase).
 *
 * @example
 * const cell = new torch.nn.GRUCell(10, 20); // an RNNCellBase
 */
export abstract class RNNCellBase extends Module {
  weight_ih: Parameter;
  weight_hh: Parameter;
  declare bias_ih: Parameter | null;
  declare bias_hh: Parameter | null;
  readonly bias: boolean;

  constructor(
    protected readonly mode: Mode,
    readonly inputSize: number,
    readonly hiddenSize: number,
    chunks: number,
    options: RNNCellOptions,
  ) {
    super();
    const dtype = options.dtype ?? "float32";
    this.bias = options.bias ?? true;
    this.weight_ih = new Parameter(empty([chunks * hiddenSize, inputSize], { dtype }));
    this.weight_hh = new Parameter(empty([chunks * hiddenSize, hiddenSize], { dtype }));
    const b = () => (this.bias ? new Parameter(empty([chunks * hiddenSize], { dtype })) : null);
    this.registerParameter("bias_ih", b());
    this.registerParameter("bias_hh", b());
    this.resetParameters();
  }

  /** Redraws every parameter from U(-1/sqrt(hidden), 1/sqrt(hidden)) in parameter order. */
  resetParameters(): void {
    const stdv = this.hiddenSize > 0 ? 1 / Math.sqrt(this.hiddenSize) : 0;
    noGrad(() => {
      for (const w of this.parameters()) uniform_(w, -stdv, stdv);
    });
  }

  /** Checks the input's rank and adds a batch dim to unbatched input. */
  protected batchInput(input: Tensor, name: string): { x: Tensor; batched: boolean } {
    if (input.ndim !== 1 && input.ndim !== 2) {
      throw new ShapeError(
        `${name}: Expected input to be 1-D or 2-D but received ${input.ndim}-D tensor`,
      );
    }
    const batched = input.ndim === 2;
    const x = batched ? input : input.unsqueeze(0);
    if (x.shape[1] !== this.inputSize) {
      throw new ShapeError(
        `input has inconsistent input_size: got ${x.shape[1]} expected ${this.inputSize}`,
      );
    }
    return { x, batched };
  }

  /** PyTorch's check_rnn_cell_forward_hidden. */
  protected checkHidden(x: Tensor, hx: Tensor, label: string): void {
    if (x.shape[0] !== hx.shape[0]) {
      throw new ShapeError(
        `Input batch size ${x.shape[0]} doesn't match hidden${label} batch size ${hx.shape[0]}`,
      );
    }
    if (hx.shape[1] !== this.hiddenSize) {
      throw new ShapeError(
        `hidden${label} has inconsistent hidden_size: got ${hx.shape[1]}, expected ${this.hiddenSize}`,
      );
    }
  }

  /** One step from batched input and state. */
  protected step(x: Tensor, state: Tensor[]): Tensor[] {
    const w: StepWeights = {
      wIh: this.weight_ih,
      wHh: this.weight_hh,
      bIh: this.bias_ih,
      bHh: this.bias_hh,
      wHr: null,
    };
    return STEPS[this.mode](linear(x, w.wIh, w.bIh), state, w);
  }

  override extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (!this.bias) s += `, bias=${pyBool(this.bias)}`;
    return s;
  }
}

/**
 * One Elman RNN step, h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh) (torch.nn.RNNCell).
 *
 * @example
 * const cell = new nn.RNNCell(10, 20);
 * const h = cell.forward(torch.randn([3, 10])); // [3, 20]
 */
export class RNNCell extends RNNCellBase {
  readonly nonlinearity: "tanh" | "relu";

  constructor(
    inputSize: number,
    hiddenSize: number,
    options: RNNCellOptions & { nonlinearity?: "tanh" | "relu" } = {},
  ) {
    const nonlinearity = options.nonlinearity ?? "tanh";
    if (nonlinearity !== "tanh" && nonlinearity !== "relu") {
      throw new ValueError(`Unknown nonlinearity: ${String(nonlinearity)}`);
    }
    super(nonlinearity === "tanh" ? "RNN_TANH" : "RNN_RELU", inputSize, hiddenSize, 1, options);
    this.nonlinearity = nonlinearity;
  }

  forward(input: Tensor, hx: Tensor | null = null): Tensor {
    const { x, batched } = this.batchInput(input, "RNNCell");
    const h =
      hx === null
        ? zeros([x.shape[0]!, this.hiddenSize], { dtype: x.dtype })
        : batched
          ? hx
          : hx.unsqueeze(0);
    this.checkHidden(x, h, "0");
    const [hy] = this.step(x, [h]);
    return batched ? hy! : hy!.squeeze(0);
  }

  override extraRepr(): string {
    const s = super.extraRepr();
    return this.nonlinearity === "tanh" ? s : `${s}, nonlinearity=${this.nonlinearity}`;
  }
}

/**
 * One LSTM step (torch.nn.LSTMCell); returns `[h', c']`.
 *
 * @example
 * const cell = new nn.LSTMCell(10, 20);
 * const [h, c] = cell.forward(torch.randn([3, 10]));
 */
export class LSTMCell extends RNNCellBase {
  constructor(inputSize: number, hiddenSize: number, options: RNNCellOptions = {}) {
    super("LSTM", inputSize, hiddenSize, 4, options);
  }

  forward(input: Tensor, hx: readonly [Tensor, Tensor] | null = null): [Tensor, Tensor] {
    const { x, batched } = this.batchInput(input, "LSTMCell");
    let state: Tensor[];
    if (hx === null) {
      const z = zeros([x.shape[0]!, this.hiddenSize], { dtype: x.dtype });
      state = [z, z];
    } else state = batched ? [hx[0], hx[1]] : [hx[0].unsqueeze(0), hx[1].unsqueeze(0)];
    // PyTorch 1.13 labels both h and c "hidden0" (aten lstm_cell passes 0 twice).
    this.checkHidden(x, state[0]!, "0");
    this.checkHidden(x, state[1]!, "0");
    const [hy, cy] = this.step(x, state);
    return batched ? [hy!, cy!] : [hy!.squeeze(0), cy!.squeeze(0)];
  }
}

/**
 * One GRU step (torch.nn.GRUCell).
 *
 * @example
 * const cell = new nn.GRUCell(10, 20);
 * const h = cell.forward(torch.randn([3, 10]), h0);
 */
export class GRUCell extends RNNCellBase {
  constructor(inputSize: number, hiddenSize: number, options: RNNCellOptions = {}) {
    super("GRU", inputSize, hiddenSize, 3, options);
  }

  forward(input: Tensor, hx: Tensor | null = null): Tensor {
    const { x, batched } = this.batchInput(input, "GRUCell");
    const h =
      hx === null
        ? zeros([x.shape[0]!, this.hiddenSize], { dtype: x.dtype })
        : batched
          ? hx
          : hx.unsqueeze(0);
    this.checkHidden(x, h, "0");
    const [hy] = this.step(x, [h]);
    return batched ? hy! : hy!.squeeze(0);
  }
}
