/**
 * One layer of a recurrent net over packed time steps (PyTorch's PackedLayer and
 * ReversedPackedLayer in aten/src/ATen/native/RNN.cpp). A padded batch is the packed case where
 * every step has the whole batch, so one loop serves both: rows that finish early leave the
 * running state and their final state is kept, as PyTorch does.
 */
import { cat } from "../../ops/join.js";
import type { Tensor } from "../../tensor/tensor.js";
import { linear } from "../functional/layers.js";
import { lstmDirectionFused } from "./lstm-fused.js";
import { STEPS, type Mode, type State, type Step, type StepWeights } from "./steps.js";

/** The outputs [N, hidden] (packed rows) and the final state of each batch row. */
export interface DirectionResult {
  output: Tensor;
  final: Tensor[];
}

/** Runs one direction of one layer over packed input rows `x` [N, in]. */
export function runDirection(
  x: Tensor,
  batchSizes: readonly number[],
  init: State,
  w: StepWeights,
  mode: Mode,
  reverse: boolean,
): DirectionResult {
  const batch = init[0]!.shape[0]!;
  if (mode === "LSTM" && batchSizes.every((b) => b === batch)) {
    return lstmDirectionFused(x, init[0]!, init[1]!, w, batchSizes.length, reverse);
  }
  // Every step's input projection in one product, as PyTorch does on the CPU.
  const xg = linear(x, w.wIh, w.bIh);
  const step = STEPS[mode];
  return reverse ? backward(xg, batchSizes, init, w, step) : forward(xg, batchSizes, init, w, step);
}

function forward(
  xg: Tensor,
  batchSizes: readonly number[],
  init: State,
  w: StepWeights,
  step: Step,
): DirectionResult {
  let state: Tensor[] = [...init];
  const finished: Tensor[][] = [];
  const outputs: Tensor[] = [];
  let offset = 0;
  for (const bs of batchSizes) {
    const running = state[0]!.shape[0]!;
    if (bs < running) {
      finished.push(state.map((s) => s.narrow(0, bs, running - bs)));
      state = state.map((s) => s.narrow(0, 0, bs));
    }
    state = step(xg.narrow(0, offset, bs), state, w);
    outputs.push(state[0]!);
    offset += bs;
  }
  // The rows that finished last come first below the still-running ones.
  finished.reverse();
  const final = state.map((s, k) =>
    finished.length === 0 ? s : cat([s, ...finished.map((f) => f[k]!)], 0),
  );
  return { output: outputs.length === 1 ? outputs[0]! : cat(outputs, 0), final };
}

function backward(
  xg: Tensor,
  batchSizes: readonly number[],
  init: State,
  w: StepWeights,
  step: Step,
): DirectionResult {
  const steps = batchSizes.length;
  const batch = init[0]!.shape[0]!;
  const last = batchSizes[steps - 1]!;
  let state: Tensor[] = init.map((s) => (last === batch ? s : s.narrow(0, 0, last)));
  const outputs: Tensor[] = new Array<Tensor>(steps);
  let offset = xg.shape[0]!;
  for (let t = steps - 1; t >= 0; t--) {
    const bs = batchSizes[t]!;
    const running = state[0]!.shape[0]!;
    // Sequences that start (from the end) at this step join with their initial state.
    if (bs > running)
      state = state.map((s, k) => cat([s, init[k]!.narrow(0, running, bs - running)], 0));
    offset -= bs;
    state = step(xg.narrow(0, offset, bs), state, w);
    outputs[t] = state[0]!;
  }
  return { output: steps === 1 ? outputs[0]! : cat(outputs, 0), final: state };
}
