// torchlet's W1 (XOR) and W3 (MLP training) on one backend, written with the public API as a user
// would: `tsx torchlet-train.ts <backend> <threads> [W1|W3]...` prints JSON lines like the peers.
import * as torch from "../../src/node.js"; // the Node entry: native backend, thread host
import type { Tensor } from "../../src/node.js";
import { mlpStep, xorStep } from "../workloads.js";
import { performance } from "node:perf_hooks";
import { emit, stats, timeRuns } from "./common.mjs";

const [backend = "wasm", threads = "1", ...only] = process.argv.slice(2);
const wanted = (w: string): boolean => only.length === 0 || only.includes(w);
torch.setBackend(backend);
torch.setNumThreads(Number(threads));
emit({ info: { backend, threads: Number(threads) } });

// W1: the founding program (examples/seed.ts), 10 000 full-batch epochs. Runs alternate between
// `model(x)` and `model.forward(x)` (W1-forward), so the module call's cost is measured in the
// same process under the same conditions.
if (wanted("W1")) {
  const runs: Record<"module" | "forward", number[]> = { module: [], forward: [] };
  let loss = NaN;
  for (let r = 0; r < 14; r++) {
    const call = r % 2 === 0 ? "module" : "forward";
    const step = xorStep({ call });
    let last: Tensor | null = null;
    const t = performance.now();
    for (let epoch = 0; epoch < 10000; epoch++) {
      last = step();
    }
    runs[call].push(((performance.now() - t) * 1e3) / 10000);
    if (call === "module") loss = last!.item();
  }
  emit({ workload: "W1", unit: "µs/epoch", finalLoss: loss, ...stats(runs.module) });
  emit({ workload: "W1-forward", unit: "µs/epoch", ...stats(runs.forward) });
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
