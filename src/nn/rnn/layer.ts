/**
 * One layer of a recurrent net over packed time steps (PyTorch's PackedLayer and
 * ReversedPackedLayer in aten/src/ATen/native/RNN.cpp). A padded batch is the packed case where
 * every step has the whole batch, so one loop serves both: rows that finish early leave the
 * running state and their final state is kept, as PyTorch does.
 */
import { isTracing } from "../../ops/trace.js";
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

/** The per-step outputs (step t has batchSizes[t] rows) and the final state of each row. */
export interface StepsResult {
  outputs: Tensor[];
  final: Tensor[];
}

/** Whether a layer runs as the fused LSTM op (a full batch at every step) over whole tensors. */
export function usesFusedLayer(mode: Mode, batchSizes: readonly number[]): boolean {
  // An ONNX export traces the step-by-step composite, whose ops all have ONNX forms.
  if (isTracing()) return false;
  return mode === "LSTM" && batchSizes.every((b) => b === batchSizes[0]);
}

/** Runs one direction of one LSTM layer over a full batch, input rows `x` [T*B, in]. */
export function runFusedDirection(
  x: Tensor,
  steps: number,
  init: State,
  w: StepWeights,
  reverse: boolean,
): DirectionResult {
  return lstmDirectionFused(x, init[0]!, init[1]!, w, steps, reverse);
}

/**
 * Runs one direction of one layer step by step over per-step inputs `xs` (step t: [batchSizes[t],
 * in]). Inputs and outputs stay separate tensors: a slice of one [N, *] tensor per step would get
 * a full-size zero gradient from each slice's backward, O(T^2) work.
 */
export function runDirection(
  xs: readonly Tensor[],
  batchSizes: readonly number[],
  init: State,
  w: StepWeights,
  mode: Mode,
  reverse: boolean,
): StepsResult {
  const step = STEPS[mode];
  const xg = xs.map((x) => linear(x, w.wIh, w.bIh));
  return reverse ? backward(xg, batchSizes, init, w, step) : forward(xg, batchSizes, init, w, step);
}

function forward(
  xg: readonly Tensor[],
  batchSizes: readonly number[],
  init: State,
  w: StepWeights,
  step: Step,
): StepsResult {
  let state: Tensor[] = [...init];
  const finished: Tensor[][] = [];
  const outputs: Tensor[] = [];
  batchSizes.forEach((bs, t) => {
    const running = state[0]!.shape[0]!;
    if (bs < running) {
      finished.push(state.map((s) => s.narrow(0, bs, running - bs)));
      state = state.map((s) => s.narrow(0, 0, bs));
    }
    state = step(xg[t]!, state, w);
    outputs.push(state[0]!);
  });
  // The rows that finished last come first below the still-running ones.
  finished.reverse();
  const final = state.map((s, k) =>
    finished.length === 0 ? s : cat([s, ...finished.map((f) => f[k]!)], 0),
  );
  return { outputs, final };
}

function backward(
  xg: readonly Tensor[],
  batchSizes: readonly number[],
  init: State,
  w: StepWeights,
  step: Step,
): StepsResult {
  const steps = batchSizes.length;
  const batch = init[0]!.shape[0]!;
  const last = batchSizes[steps - 1]!;
  let state: Tensor[] = init.map((s) => (last === batch ? s : s.narrow(0, 0, last)));
  const outputs: Tensor[] = new Array<Tensor>(steps);
  for (let t = steps - 1; t >= 0; t--) {
    const bs = batchSizes[t]!;
    const running = state[0]!.shape[0]!;
    // Sequences that start (from the end) at this step join with their initial state.
    if (bs > running) {
      state = state.map((s, k) => cat([s, init[k]!.narrow(0, running, bs - running)], 0));
    }
    state = step(xg[t]!, state, w);
    outputs[t] = state[0]!;
  }
  return { outputs, final: state };
}
