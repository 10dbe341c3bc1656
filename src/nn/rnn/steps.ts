/**
 * One time step of each recurrent cell, as PyTorch's ATen cells compute it (aten/src/ATen/native/
 * RNN.cpp): the input projection `xg = x W_ih^T + b_ih` comes precomputed (the layers project every
 * time step with one product), the hidden projection is added to it, then the gate math. Gate
 * order as PyTorch: LSTM i, f, g, o; GRU r, z, n.
 */
import type { Tensor } from "../../tensor/tensor.js";
import { linear } from "../functional/layers.js";

/** The weights of one layer and direction (a cell's own weights for the Cell modules). */
export interface StepWeights {
  readonly wIh: Tensor;
  readonly wHh: Tensor;
  readonly bIh: Tensor | null;
  readonly bHh: Tensor | null;
  /** LSTM's projection weight_hr [proj, hidden] (projSize > 0). */
  readonly wHr: Tensor | null;
}

/** The recurrent state: [h] for RNN and GRU, [h, c] for LSTM. */
export type State = readonly Tensor[];

/** Maps (projected input, state) to the next state; the next h is its first entry. */
export type Step = (xg: Tensor, state: State, w: StepWeights) => Tensor[];

/** The recurrent cell kinds (PyTorch's RNNBase modes). */
export type Mode = "RNN_TANH" | "RNN_RELU" | "LSTM" | "GRU";

/** Gates per hidden unit: the rows of weight_ih are this many times hidden_size. */
export const GATES: Record<Mode, number> = { RNN_TANH: 1, RNN_RELU: 1, LSTM: 4, GRU: 3 };

/** h' = tanh(xg + h W_hh^T + b_hh). */
function tanhStep(xg: Tensor, [h]: State, w: StepWeights): Tensor[] {
  return [linear(h!, w.wHh, w.bHh).add(xg).tanh()];
}

/** h' = relu(xg + h W_hh^T + b_hh). */
function reluStep(xg: Tensor, [h]: State, w: StepWeights): Tensor[] {
  return [linear(h!, w.wHh, w.bHh).add(xg).relu()];
}

/** c' = f c + i g, h' = o tanh(c') (then h' W_hr^T with a projection). */
function lstmStep(xg: Tensor, [h, c]: State, w: StepWeights): Tensor[] {
  const [i, f, g, o] = linear(h!, w.wHh, w.bHh).add(xg).chunk(4, 1) as [
    Tensor,
    Tensor,
    Tensor,
    Tensor,
  ];
  const cy = f.sigmoid().mul(c!).add(i.sigmoid().mul(g.tanh()));
  let hy = o.sigmoid().mul(cy.tanh());
  if (w.wHr !== null) hy = hy.matmul(w.wHr.t());
  return [hy, cy];
}

/** r, z = sigmoid(...), n = tanh(x_n + r (h W_hn^T + b_hn)), h' = (h - n) z + n. */
function gruStep(xg: Tensor, [h]: State, w: StepWeights): Tensor[] {
  const [ir, iz, inew] = xg.chunk(3, 1) as [Tensor, Tensor, Tensor];
  const [hr, hz, hnew] = linear(h!, w.wHh, w.bHh).chunk(3, 1) as [Tensor, Tensor, Tensor];
  const r = hr.add(ir).sigmoid();
  const z = hz.add(iz).sigmoid();
  const n = inew.add(hnew.mul(r)).tanh();
  return [h!.sub(n).mul(z).add(n)];
}

/** The step function of each mode. */
export const STEPS: Record<Mode, Step> = {
  RNN_TANH: tanhStep,
  RNN_RELU: reluStep,
  LSTM: lstmStep,
  GRU: gruStep,
};
