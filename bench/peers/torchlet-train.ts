// torchlet's W1 (XOR), W3 (MLP training) and W6 (char-LSTM training) on one backend, written with the public API as a user
// would: `tsx torchlet-train.ts <backend> <threads> [W1|W3|W6]...` prints JSON lines like the peers.
import * as torch from "../../src/node.js"; // the Node entry: native backend, thread host
import type { Tensor } from "../../src/node.js";
import { W6, lstmStep, mlpStep, xorStep } from "../workloads.js";
import { performance } from "node:perf_hooks";
import { emit, stats, timeRuns } from "./common.mjs";

const [backend = "wasm", threads = "1", ...only] = process.argv.slice(2);
const wanted = (w: string): boolean => only.length === 0 || only.includes(w);
torch.setBackend(backend);
torch.setNumThreads(Number(threads));
emit({ info: { backend, threads: Number(threads) } });

// W1: XOR, 2-2-1 sigmoid MLP, MSE, SGD lr 0.1, 10 000 full-batch epochs (examples/xor.ts).
if (wanted("W1")) {
  const runs: number[] = [];
  let loss = NaN;
  for (let r = 0; r < 7; r++) {
    const step = xorStep();
    let last: Tensor | null = null;
    const t = performance.now();
    for (let epoch = 0; epoch < 10000; epoch++) {
      last = step();
    }
    runs.push(((performance.now() - t) * 1e3) / 10000);
    loss = last!.item();
  }
  emit({ workload: "W1", unit: "µs/epoch", finalLoss: loss, ...stats(runs) });
}

// W3: 784-256-128-10 ReLU MLP, cross-entropy, SGD lr 0.01, batch 128, random data, the loss read
// every step (as the peers do).
if (wanted("W3")) {
  const train = mlpStep();
  const step = (): void => void train().item();
  const slow = backend === "reference";
  // As every peer: 20 warm-up steps, then up to 1000 steps or 3 s (the reference backend: 5).
  const seconds = slow
    ? timeRuns(step, { maxReps: 5, budgetMs: 8000 })
    : timeRuns(step, { maxReps: 1000, budgetMs: 3000, warmup: 20 });
  emit({ workload: "W3", unit: "samples/s", ...stats(seconds.map((s) => 128 / s)) });
}

// W6: the char-LSTM language-model step (bench/workloads.ts lstmStep), tokens/s; as the PyTorch
// peer: 3 warm-up steps, then up to 20 steps or 6 s (the reference backend: 2 steps).
if (wanted("W6")) {
  const train = lstmStep();
  const step = (): void => void train().item();
  const tokens = W6.batch * W6.seq;
  const seconds =
    backend === "reference"
      ? timeRuns(step, { maxReps: 2, budgetMs: 20000 })
      : timeRuns(step, { maxReps: 20, budgetMs: 6000, warmup: 3 });
  emit({ workload: "W6", unit: "tokens/s", ...stats(seconds.map((s) => tokens / s)) });
}
